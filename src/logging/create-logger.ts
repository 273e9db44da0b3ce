import type { Logger, LogLevel } from '@slack/bolt';
import pino from 'pino';
import { scrubSecrets } from './scrub-secrets.js';

export interface LoggerOptions {
  readonly level: `${LogLevel}`;
  /** Values that must never be written, whatever logs them. */
  readonly secrets: readonly string[];
  readonly destination?: NodeJS.WritableStream;
}

// Field names that hold credentials in objects we or our libraries might log.
const REDACT_PATHS = [
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.password',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  'headers.authorization',
  'headers["ocp-apim-subscription-key"]',
];

function toPinoArgs(messages: unknown[]): [Record<string, unknown>, string] {
  const [first, ...rest] = messages;
  const fields: Record<string, unknown> = {};
  const words: string[] = [];
  const take = (value: unknown) => {
    if (value instanceof Error) fields.err = value;
    else if (typeof value === 'string') words.push(value);
    else if (value !== undefined) words.push(JSON.stringify(value) ?? String(value));
  };
  if (first !== null && typeof first === 'object' && !(first instanceof Error)) Object.assign(fields, first);
  else take(first);
  for (const value of rest) take(value);
  return [fields, words.join(' ')];
}

/** A JSON logger (pino) that Bolt accepts as its own logger; secrets are scrubbed from every line. */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubSecrets(options.secrets);
  const destination = options.destination ?? process.stdout;
  const base = pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { name: 'qflow-domain-bot' },
    },
    // Scrubbing happens on the JSON line, before any pretty-printing destination sees it.
    { write: (line: string) => destination.write(scrub(line)) },
  );
  let child = base;
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) => {
      // Every command logs a line at info and Bolt logs at debug: below the level, build nothing.
      if (!child.isLevelEnabled(level)) return;
      const [fields, text] = toPinoArgs(messages);
      child[level](fields, text);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (level) => {
      child.level = level;
    },
    getLevel: () => child.level as LogLevel,
    setName: (name) => {
      child = base.child({ component: name });
    },
  };
}
