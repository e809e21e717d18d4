/** A lock stayed taken by another holder for longer than the caller would wait. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';

  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`The lock on ${key} was not free within ${waitedMs} ms.`);
  }
}

/** A holder's lock stopped being its own while it worked: what it writes from then on is not exclusive. */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';

  constructor(
    readonly keys: string[],
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The lock on ${keys.length === 1 ? keys[0] : `${keys.length} keys`} was lost: ${reason}.`, options);
  }
}
