/**
 * Every way the store can fail. All but `unavailable` happen while it opens and stop start-up;
 * `unavailable` is a database that went away later, which callers turn into "try again in a moment".
 */
export type StoreErrorCode =
  | 'unreachable'
  | 'login_refused'
  | 'no_database'
  | 'tls'
  | 'not_writable'
  | 'in_use'
  | 'pglite_data_dir'
  | 'cannot_open'
  | 'unavailable';

/** The one error type the store throws. Its message is for the operator and never holds a password. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** The reason in an error's message, for the operator's line. */
export const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every failure after opening means the database is not there right now: one code for the callers. */
export function unavailable(where: string) {
  return (error: unknown): never => {
    throw new StoreError('unavailable', `${where} is not answering (${reasonOf(error)})`, { cause: error });
  };
}
