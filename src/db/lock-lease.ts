import { LockLostError } from './lock-errors';

/**
 * What a holder knows about its lock while it works. JavaScript cannot stop a holder mid-write, so the holder
 * checks: `assertHeld()` before each write that needs the lock, or `signal` passed on to whatever takes one.
 */
export interface Lease {
  /** Aborted, with the LockLostError as its reason, once the lock may no longer be this holder's. */
  readonly signal: AbortSignal;
  /** Throws the LockLostError once the lock may no longer be this holder's. */
  assertHeld(): void;
}

export interface KeptLease extends Lease {
  /** Stops renewing, before the holder releases its locks. */
  stop(): void;
}

interface LeaseTerms {
  keys: string[];
  leaseMs: number;
  /** When the lease the holder took runs out. */
  expiresAt: Date;
  /** Extends every lock of keys to expiresAt; resolves false when one of them is no longer this holder's. */
  renew: (expiresAt: Date) => Promise<boolean>;
}

/**
 * Renews the lease every third of it while the holder works. The holder loses its lock when a renewal finds
 * another owner (the lease had run out and another instance took it), or when no renewal has succeeded and a
 * sixth of the lease is left: it stops before anyone may take the lock, a margin for clock skew between
 * instances. One failed renewal is retried at the next beat, so a network blip does not abort the holder.
 */
export function keepLease({ keys, leaseMs, expiresAt, renew }: LeaseTerms): KeptLease {
  const controller = new AbortController();
  const beatMs = leaseMs / 3;
  const marginMs = leaseMs / 6;
  let stopped = false;
  let beat: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;

  function stop(): void {
    stopped = true;
    clearTimeout(beat);
    clearTimeout(deadline);
  }

  function lose(reason: string, cause?: unknown): void {
    if (stopped) return;
    stop();
    controller.abort(new LockLostError(keys, reason, { cause }));
  }

  function loseUnrenewedBy(runsOutAt: number): void {
    clearTimeout(deadline);
    const lastSafeMoment = runsOutAt - marginMs;
    deadline = setTimeout(() => lose('its lease could not be renewed in time'), lastSafeMoment - Date.now());
    deadline.unref();
  }

  async function renewNow(): Promise<void> {
    const runsOutAt = Date.now() + leaseMs;
    try {
      const ours = await renew(new Date(runsOutAt));
      if (stopped) return;
      if (!ours) return lose('another holder took it after its lease ran out');
      loseUnrenewedBy(runsOutAt);
    } catch {
      // The deadline decides: the next beat may still renew in time.
    }
    scheduleBeat();
  }

  function scheduleBeat(): void {
    if (stopped) return;
    beat = setTimeout(() => void renewNow(), beatMs);
    beat.unref();
  }

  loseUnrenewedBy(expiresAt.getTime());
  scheduleBeat();
  return {
    signal: controller.signal,
    assertHeld: () => controller.signal.throwIfAborted(),
    stop,
  };
}
