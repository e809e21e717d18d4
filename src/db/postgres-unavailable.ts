const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * A PostgreSQL read (FerretDB's table, read directly) that failed because the server is not there: the connection
 * was refused, broke or timed out (node-postgres), or the server is shutting down or starting (SQLSTATE 08…, 57P01–3).
 */
export function isPostgresUnavailable(error: unknown): boolean {
  // Duck-typed: a socket error is an Error of Node's own realm, not always of this one's (as under jest).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (unreachable.has(code) || /^08|^57P0[123]$/.test(code))) return true;
  return typeof message === 'string' && /^Connection terminated|timeout exceeded when trying to connect/.test(message);
}
