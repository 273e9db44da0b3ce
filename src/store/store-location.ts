/** Where the store lives: a Postgres server (DATABASE_URL) or the embedded PGlite in a directory (DATA_DIR). */
export type StoreLocation =
  | { readonly kind: 'postgres'; readonly databaseUrl: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

/** The location for a log line or a message: the URL without its password, or the directory. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'embedded') return `embedded PGlite in ${location.dataDir}`;
  const url = new URL(location.databaseUrl);
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `Postgres ${user}${url.host}${url.pathname}`;
}
