import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { playgroundBanner, playgroundPort, startMode } from '../../src/config/getting-started.js';

describe('startMode', () => {
  it('starts the playground when nothing is configured, outside production', () => {
    expect(startMode({}, [])).toBe('playground');
    expect(startMode({ NODE_ENV: 'development', SLACK_BOT_TOKEN: '' }, [])).toBe('playground');
  });

  it('refuses in production with nothing configured, so a deploy that forgot its variables fails', () => {
    expect(startMode({ NODE_ENV: 'production' }, [])).toBe('refuse');
  });

  it('runs the bot once any Slack or QFlowHub variable is set', () => {
    expect(startMode({ SLACK_BOT_TOKEN: 'xoxb-1' }, [])).toBe('bot');
    expect(startMode({ QFLOW_CLIENT_ID: 'id' }, [])).toBe('bot');
  });

  it('starts the playground when asked with --playground, whatever is set', () => {
    expect(
      startMode({ QFLOW_CLIENT_ID: 'id', NODE_ENV: 'production' }, ['node', 'main.js', '--playground']),
    ).toBe('playground');
  });
});

describe('playgroundPort', () => {
  it('takes PORT, or 3000', () => {
    expect(playgroundPort({})).toBe(3000);
    expect(playgroundPort({ PORT: '8080' })).toBe(8080);
    expect(playgroundPort({ PORT: '0' })).toBe(0);
  });

  it('names a bad PORT', () => {
    expect(() => playgroundPort({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => playgroundPort({ PORT: '70000' })).toThrow(/PORT: must be at most 65535/);
  });
});

describe('playgroundBanner', () => {
  it('prints the address and how to connect a real Slack workspace', () => {
    const banner = playgroundBanner('http://127.0.0.1:3000/?token=abc', false);
    expect(banner).toContain('Playground: http://127.0.0.1:3000/?token=abc\n');
    expect(banner).toContain('To connect a real Slack workspace instead');
    expect(banner).toContain('sandbox');
  });

  it('says changes are real when the bot uses real QFLOW_* credentials', () => {
    expect(playgroundBanner('http://127.0.0.1:3000/?token=abc', true)).toContain(
      'changes made in the playground are real',
    );
  });
});
