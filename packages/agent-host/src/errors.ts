/** Errors the domain throws on purpose; the HTTP layer maps `kind` to a status. Anything else is a 500. */
export type AppErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unavailable';

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly kind: AppErrorKind;
  constructor(kind: AppErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
