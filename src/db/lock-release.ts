interface HeldLock {
  _id: string;
  owner: string;
}

interface BatchedRelease {
  /** Deletes the lock on key if owner still holds it; resolves once the delete has been answered. */
  release: (key: string, owner: string) => Promise<void>;
  /** Resolves once every release asked for so far has been answered. */
  settled: () => Promise<unknown>;
}

/**
 * Releases taken together within one turn of the event loop go out as one delete: under load, a lock costs
 * its insert and a share of one delete. A release that fails leaves the lock to expire with its lease.
 */
export function createBatchedRelease(deleteLocks: (locks: HeldLock[]) => Promise<unknown>): BatchedRelease {
  const releasing = new Set<Promise<void>>();
  let pending: (HeldLock & { done: () => void })[] = [];

  async function flushReleases(): Promise<void> {
    const batch = pending;
    pending = [];
    try {
      await deleteLocks(batch.map(({ _id, owner }) => ({ _id, owner })));
    } catch {
      // Also thrown at once, not rejected, by a closed connection: the locks expire with their lease.
    } finally {
      batch.forEach(({ done }) => done());
    }
  }

  return {
    release(key: string, owner: string): Promise<void> {
      const released = new Promise<void>((done) => {
        if (!pending.length) setImmediate(() => void flushReleases());
        pending.push({ _id: key, owner, done });
      });
      releasing.add(released);
      void released.then(() => releasing.delete(released));
      return released;
    },
    settled(): Promise<unknown> {
      return Promise.all(releasing);
    },
  };
}
