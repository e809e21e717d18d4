/**
 * The embedded engine cannot be had on this machine as configured. The message says what to do; the server logs
 * it as one fatal line, without a stack trace, and exits.
 */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}
