import { isDuplicateKeyError } from './duplicate-key';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { LockTimeoutError } from './lock-errors';
import { keepLease, type Lease } from './lock-lease';
import { createBatchedRelease } from './lock-release';

/**
 * A holder that loses its lock while it works (see keepLease) sees it on the lease it is given, and its run
 * then rejects with a LockLostError even if fn resolved: the caller never takes a write done without the
 * lock for one done with it.
 */
export interface KeyedLock {
  /**
   * Runs fn while holding the lock on key, across this process and every instance on the database.
   * Rejects with a LockTimeoutError when the lock stays taken for longer than the wait limit.
   */
  run<T>(key: string, fn: (lease: Lease) => Promise<T>): Promise<T>;
  /** Runs fn holding the lock of every key, taken one by one in sorted order: two such runs never deadlock. */
  runAll<T>(keys: string[], fn: (lease: Lease) => Promise<T>): Promise<T>;
  /** Runs fn if the lock on key is free now; otherwise resolves `{ ran: false }` at once. */
  tryRun<T>(key: string, fn: (lease: Lease) => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }>;
  /** Takes every lock of keys that is free now (one write) and keeps them until the caller releases them. */
  holdMany(keys: string[]): Promise<{ held: string[]; lease: Lease; release: () => Promise<void> }>;
  /** Resolves once every lock taken so far is released (at shutdown). */
  drain(): Promise<void>;
}

export interface KeyedLockOptions {
  /** How long a lock outlives a holder that stopped renewing it, e.g. a crashed process. */
  leaseMs?: number;
  /** How long run waits for a taken lock before it gives up with a LockTimeoutError. */
  waitMs?: number;
}

interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export const locksCollection = 'locks';

/**
 * A mutex per key made of a document in `locks`: inserting it takes the lock (the unique _id
 * settles races on every engine), deleting it releases it. FerretDB v1 runs updates as
 * read-modify-write without isolation, so read-modify-write sequences that must not interleave
 * run under this lock. A holder renews its lease while it works; a lock left by a crashed process expires.
 */
export function createKeyedLock(
  connection: Connection,
  { leaseMs = 10_000, waitMs = 15_000 }: KeyedLockOptions = {},
): KeyedLock {
  const locks = connection.collection<LockDocument>(locksCollection);
  const localQueues = new Map<string, Promise<unknown>>();
  const { release, settled } = createBatchedRelease((held) =>
    locks.deleteMany(held.length === 1 ? held[0] : { $or: held }),
  );

  /** Takes the lock if it is free now, or its holder's lease has run out; answers when the lease runs out. */
  async function tryAcquire(key: string, owner: string): Promise<Date | undefined> {
    const expiresAt = new Date(Date.now() + leaseMs);
    try {
      await locks.insertOne({ _id: key, owner, expiresAt });
      return expiresAt;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await locks.findOne({ _id: key });
    if (holder && holder.expiresAt.getTime() >= Date.now()) return undefined;
    // Only while still expired: the holder may have renewed since it was read.
    if (holder) await locks.deleteOne({ _id: key, owner: holder.owner, expiresAt: { $lt: new Date() } });
    return tryAcquire(key, owner);
  }

  async function acquire(key: string, owner: string, deadline: number): Promise<Date> {
    for (let attempt = 0; ; attempt++) {
      const expiresAt = await tryAcquire(key, owner);
      if (expiresAt) return expiresAt;
      if (Date.now() > deadline) throw new LockTimeoutError(key, waitMs);
      await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  }

  function leaseOf(keys: string[], owner: string, expiresAt: Date) {
    const renew = (until: Date) =>
      locks
        .updateMany({ _id: { $in: keys }, owner }, { $set: { expiresAt: until } })
        .then(({ matchedCount }) => matchedCount === keys.length);
    return keepLease({ keys, leaseMs, expiresAt, renew });
  }

  /** fn's own error passes through as it is; a result fn reached after the lock was lost does not. */
  async function holding<T>(key: string, owner: string, expiresAt: Date, fn: (lease: Lease) => Promise<T>) {
    const lease = leaseOf([key], owner, expiresAt);
    try {
      const result = await fn(lease);
      lease.assertHeld();
      return result;
    } finally {
      lease.stop();
    }
  }

  /** The caller has its answer without waiting for the release; the next writer of the key waits for it. */
  async function runExclusive<T>(
    key: string,
    fn: (lease: Lease) => Promise<T>,
    deadline: number,
    onRelease: (released: Promise<void>) => void,
  ) {
    const owner = randomUUID();
    const expiresAt = await acquire(key, owner, deadline);
    try {
      return await holding(key, owner, expiresAt, fn);
    } finally {
      onRelease(release(key, owner));
    }
  }

  const lock: KeyedLock = {
    run<T>(key: string, fn: (lease: Lease) => Promise<T>): Promise<T> {
      // Waiters in this process queue here instead of polling the database; the wait limit counts from now, so a
      // waiter behind a long local holder gives up as one on another instance would.
      const deadline = Date.now() + waitMs;
      const previous = localQueues.get(key) ?? Promise.resolve();
      let released: Promise<void> = Promise.resolve();
      const result = new Promise<T>((resolve, reject) => {
        let started = false;
        const giveUp = setTimeout(() => {
          if (started) return;
          started = true;
          reject(new LockTimeoutError(key, waitMs));
        }, waitMs);
        void previous.then(() => {
          clearTimeout(giveUp);
          if (started) return;
          started = true;
          runExclusive(key, fn, deadline, (release) => {
            released = release;
          }).then(resolve, reject);
        });
      });
      // The next local waiter goes after the one before this, even when this one gave up while queued.
      const tail = Promise.all([previous, result.catch(() => undefined)]).then(() => released);
      localQueues.set(key, tail);
      void tail.then(() => {
        if (localQueues.get(key) === tail) localQueues.delete(key);
      });
      return result;
    },

    runAll<T>(keys: string[], fn: (lease: Lease) => Promise<T>): Promise<T> {
      const sorted = [...new Set(keys)].sort();
      const leases: Lease[] = [];
      const holdFrom = (index: number): Promise<T> =>
        index === sorted.length
          ? fn(allOfLeases(leases))
          : lock.run(sorted[index], (lease) => {
              leases.push(lease);
              return holdFrom(index + 1);
            });
      return holdFrom(0);
    },

    async tryRun<T>(key: string, fn: (lease: Lease) => Promise<T>) {
      const owner = randomUUID();
      const expiresAt = await tryAcquire(key, owner);
      if (!expiresAt) return { ran: false as const };
      try {
        return { ran: true as const, result: await holding(key, owner, expiresAt, fn) };
      } finally {
        await release(key, owner);
      }
    },

    async holdMany(keys: string[]) {
      const owner = randomUUID();
      const expiresAt = new Date(Date.now() + leaseMs);
      const insert = (wanted: string[]): Promise<string[]> =>
        // An empty insertMany is an error on every engine ("Batch cannot be empty").
        !wanted.length
          ? Promise.resolve([])
          : locks
              .insertMany(
                wanted.map((key) => ({ _id: key, owner, expiresAt })),
                { ordered: false },
              )
              .then(
                () => wanted,
                (error: unknown) => keysInserted(error, wanted),
              );
      let held = await insert(keys);
      const refused = keys.filter((key) => !held.includes(key));
      // Locks a crashed holder left are taken over once their lease ran out, as run and tryRun do.
      if (
        refused.length &&
        (await locks.deleteMany({ _id: { $in: refused }, expiresAt: { $lt: new Date() } })).deletedCount
      ) {
        held = [...held, ...(await insert(refused))];
      }
      const lease = leaseOf(held, owner, expiresAt);
      const release = async () => {
        lease.stop();
        await locks.deleteMany({ owner });
      };
      return { held, lease, release };
    },

    async drain(): Promise<void> {
      await Promise.all([...localQueues.values(), settled()]);
    },
  };
  return lock;
}

/** One lease for several locks: lost as soon as one of them is. */
function allOfLeases(leases: Lease[]): Lease {
  return {
    signal: AbortSignal.any(leases.map((lease) => lease.signal)),
    assertHeld: () => leases.forEach((lease) => lease.assertHeld()),
  };
}

/** The keys an unordered insertMany did insert: all but those whose write failed on a duplicate key. */
function keysInserted(error: unknown, keys: string[]): string[] {
  const { writeErrors } = error as {
    writeErrors?: { index: number; code?: number } | { index: number; code?: number }[];
  };
  if (!writeErrors) throw error;
  const failures = [writeErrors].flat();
  if (failures.some((failure) => !isDuplicateKeyError(failure))) throw error;
  const failed = new Set(failures.map((failure) => failure.index));
  return keys.filter((_, index) => !failed.has(index));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
