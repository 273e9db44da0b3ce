import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { prettyDestination } from '../../src/logging/pretty-destination.js';

function linesTo(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets,
    destination: linesTo(lines),
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

describe('createLogger, pretty format', () => {
  it('writes readable lines, still without secrets', () => {
    const lines: string[] = [];
    const destination = prettyDestination(linesTo(lines));
    const logger = createLogger({ level: 'info', secrets: ['pretty-secret-value'], destination });
    logger.info({ command: 'status' }, 'handled with pretty-secret-value');
    const all = lines.join('');
    expect(all).toContain('handled with [redacted]');
    expect(all).toContain('command: "status"');
    expect(() => JSON.parse(all)).toThrow();
  });
});
