/**
 * True for a unique-index violation. FerretDB v1 reports one caused by an update as an internal error (code 1)
 * carrying its backend's message (SQLite's, or PostgreSQL's SQLSTATE 23505) rather than 11000.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return code === 11000 || (code === 1 && /UNIQUE constraint failed|SQLSTATE 23505/.test(message ?? ''));
}
