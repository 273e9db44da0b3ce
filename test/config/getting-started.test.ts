import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import {
  describeStartFailure,
  playgroundBanner,
  playgroundPort,
  startMode,
} from '../../src/config/getting-started.js';

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

  it('starts the playground from a fresh copy of .env.example (`cp .env.example .env`)', () => {
    const example = parseEnv(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));
    expect(example).toEqual({});
    expect(startMode({ ...example }, [])).toBe('playground');
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

// A real EADDRINUSE, as Node's listen() gives it: a second server on the first one's port.
async function portInUse(): Promise<{ error: unknown; port: number }> {
  const first = createServer();
  await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
  const { port } = first.address() as { port: number };
  const second = createServer();
  const error = await new Promise((resolve) => {
    second.once('error', resolve);
    second.listen(port, '127.0.0.1');
  });
  await new Promise((resolve) => first.close(resolve));
  return { error, port };
}

describe('describeStartFailure', () => {
  it('names PORT when the port it chose is in use, and says how to move it', async () => {
    const { error, port } = await portInUse();
    const text = describeStartFailure(error, { PORT: String(port) });
    expect(text).toContain(`port ${port} is already in use`);
    expect(text).toContain(`set PORT to a free port, e.g. PORT=${port + 1} npm start`);
  });

  it('names the sandbox variable when that is the port in use', async () => {
    const { error, port } = await portInUse();
    expect(describeStartFailure(error, { SANDBOX_PORT: String(port) })).toContain('set SANDBOX_PORT');
  });

  it('gives a configuration error its own words, and anything else as it is', () => {
    const config = new ConfigError(['PORT: must be a port number']);
    expect(describeStartFailure(config, {})).toBe(config.message);
    expect(describeStartFailure(new Error('boom'), {})).toBe('The bot could not start: Error: boom');
  });
});
