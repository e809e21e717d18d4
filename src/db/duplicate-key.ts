/**
 * True for a unique-index violation. FerretDB v1 reports one caused by an update as an internal error (code 1)
 * carrying its backend's message (SQLite's, or PostgreSQL's SQLSTATE 23505) rather than 11000.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return code === 11000 || (code === 1 && /UNIQUE constraint failed|SQLSTATE 23505/.test(message ?? ''));
}

/** The indexes of the documents an unordered insertMany refused as duplicates; any other failure is rethrown. */
export function duplicateIndexesOf(error: unknown): number[] {
  const { writeErrors } = error as {
    writeErrors?: { index: number; code?: number } | { index: number; code?: number }[];
  };
  if (!writeErrors) throw error;
  const failures = [writeErrors].flat();
  if (failures.some((failure) => !isDuplicateKeyError(failure))) throw error;
  return failures.map((failure) => failure.index);
}

/** For inserts that may repeat (a step run again): duplicates are what was written before; anything else is thrown. */
export function ignoreDuplicateKeys(error: unknown): void {
  // The driver's writeErrors is one error or an array of them.
  const { code, writeErrors } = error as { code?: number; writeErrors?: { code?: number } | { code?: number }[] };
  const failures = writeErrors ? [writeErrors].flat() : [{ code, message: (error as { message?: string }).message }];
  if (failures.some((failure) => !isDuplicateKeyError(failure))) throw error;
}
