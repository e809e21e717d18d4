/**
 * True for a unique-index violation. FerretDB on SQLite reports one caused by an update as an
 * internal error (code 1) rather than 11000.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return code === 11000 || (code === 1 && /UNIQUE constraint failed/.test(message ?? ''));
}
