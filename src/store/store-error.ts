/**
 * Every way the store can fail. The first five happen while it opens and stop start-up; `unavailable`
 * is a database that went away later, which callers turn into "try again in a moment".
 */
export type StoreErrorCode =
  | 'unreachable'
  | 'login_refused'
  | 'no_database'
  | 'tls'
  | 'not_writable'
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
