import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/store/open-sqlite.js';
import { describeStoreLocation, unkeptDiskWarning } from '../../src/store/store-location.js';

describe('where the store says it lives', () => {
  it('names the SQLite file, or the Postgres server without its password', () => {
    expect(describeStoreLocation({ kind: 'embedded', dataDir: './data' })).toBe('SQLite data/store.sqlite');
    expect(
      describeStoreLocation({
        kind: 'postgres',
        databaseUrl: 'postgres://bot:s3cret@db.internal:5432/qflow',
      }),
    ).toBe('Postgres bot@db.internal:5432/qflow');
  });

  it('warns a production bot without DATABASE_URL, in one line, that its data goes with its disk', () => {
    const warning = unkeptDiskWarning({ kind: 'embedded', dataDir: './data' }, 'production');
    expect(warning).toBe(
      `NODE_ENV is production and DATABASE_URL is not set: the bot keeps its history, repeat guard and watches in ${resolve('data/store.sqlite')}, which is lost if that disk is not kept (Heroku, Render without a disk, Fly without a volume): set DATABASE_URL to a Postgres database, or keep DATA_DIR on a persistent disk.`,
    );
    expect(warning).not.toContain('\n');
    expect(unkeptDiskWarning({ kind: 'embedded', dataDir: './data' }, undefined)).toBeUndefined();
    expect(
      unkeptDiskWarning({ kind: 'postgres', databaseUrl: 'postgres://db.internal/qflow' }, 'production'),
    ).toBeUndefined();
  });
});

describe('loading node:sqlite', () => {
  it('drops only Node 22’s "SQLite is an experimental feature" warning, and only while it loads', async () => {
    const passedOn: string[] = [];
    const emitWarning = process.emitWarning;
    // Stands in for Node's own emitWarning, which would print to the test output.
    process.emitWarning = ((warning: string) => passedOn.push(warning)) as typeof process.emitWarning;
    try {
      const loaded = await loadSqlite(async () => {
        // What Node 22 does as node:sqlite loads, beside a warning of someone else's.
        process.emitWarning(
          'SQLite is an experimental feature and might change at any time',
          'ExperimentalWarning',
        );
        process.emitWarning('Something else entirely', 'DeprecationWarning');
        return import('node:sqlite');
      });
      expect(typeof loaded.DatabaseSync).toBe('function');
      process.emitWarning(
        'SQLite is an experimental feature and might change at any time',
        'ExperimentalWarning',
      );
    } finally {
      process.emitWarning = emitWarning;
    }
    expect(passedOn).toEqual([
      'Something else entirely',
      'SQLite is an experimental feature and might change at any time',
    ]);
  });
});
