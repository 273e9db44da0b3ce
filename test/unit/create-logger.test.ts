import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets,
    destination: { write: (line: string) => lines.push(line) },
  });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON line per call with structured fields', () => {
    const { logger, lines } = capture([]);
    logger.info({ command: 'status', user: 'U1', outcome: 'shown', duration_ms: 12 }, 'command handled');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 30,
      command: 'status',
      outcome: 'shown',
      msg: 'command handled',
    });
  });

  it('takes Bolt-style calls (several strings, errors)', () => {
    const { logger, lines } = capture([]);
    logger.error('An incoming event was not acknowledged within', 3001, 'ms', new Error('boom'));
    const line = JSON.parse(lines[0] ?? '');
    expect(line.msg).toBe('An incoming event was not acknowledged within 3001 ms');
    expect(line.err.message).toBe('boom');
  });

  it('never writes a configured secret, wherever it appears', () => {
    const secret = 'xoxb-super-secret-"quoted"-token';
    const { logger, lines } = capture([secret]);
    logger.warn(`token ${secret} failed`);
    logger.error({ request: { headers: { authorization: `Bearer ${secret}` } } }, 'x');
    logger.error(new Error(`bad ${secret}`));
    const all = lines.join('\n');
    expect(all).not.toContain('super-secret');
    expect(all).toContain('[redacted]');
  });

  it('respects the level', () => {
    const { logger, lines } = capture([]);
    logger.setLevel(LogLevel.WARN);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
    expect(logger.getLevel()).toBe('warn');
  });
});
