import { join, resolve } from 'node:path';

/** Where the store lives: a Postgres server (DATABASE_URL) or the embedded SQLite in a directory (DATA_DIR). */
export type StoreLocation =
  | { readonly kind: 'postgres'; readonly databaseUrl: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

/** The embedded database's file in DATA_DIR. */
export const SQLITE_FILE = 'store.sqlite';

/** The location for a log line or a message: the URL without its password, or the file. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'embedded') return `SQLite ${join(location.dataDir, SQLITE_FILE)}`;
  const url = new URL(location.databaseUrl);
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `Postgres ${user}${url.host}${url.pathname}`;
}

/**
 * The one line a production bot without DATABASE_URL logs at start: its memory is a file on this
 * machine's disk, which many platforms do not keep across a restart or deploy. Undefined otherwise.
 */
export function unkeptDiskWarning(location: StoreLocation, nodeEnv: string | undefined): string | undefined {
  if (location.kind !== 'embedded' || nodeEnv !== 'production') return undefined;
  return `NODE_ENV is production and DATABASE_URL is not set: the bot keeps its history, repeat guard and watches in ${resolve(location.dataDir, SQLITE_FILE)}, which is lost if that disk is not kept (Heroku, Render without a disk, Fly without a volume): set DATABASE_URL to a Postgres database, or keep DATA_DIR on a persistent disk.`;
}
