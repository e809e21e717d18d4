import { isDuplicateKeyError } from './duplicate-key';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';

export interface KeyedLock {
  /** Runs fn while holding the lock on key, across this process and every instance on the database. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs fn if the lock on key is free now; otherwise resolves `{ ran: false }` at once. */
  tryRun<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }>;
  /** Takes every lock of keys that is free now (one write); the caller releases the held ones. */
  holdMany(keys: string[]): Promise<{ held: string[]; release(): Promise<void> }>;
  /** Resolves once every lock taken so far is released (at shutdown). */
  drain(): Promise<void>;
}

interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export const locksCollection = 'locks';
const leaseMs = 10_000;
const waitLimitMs = 15_000;

/**
 * A mutex per key made of a document in `locks`: inserting it takes the lock (the unique _id
 * settles races on every engine), deleting it releases it. FerretDB v1 runs updates as
 * read-modify-write without isolation, so read-modify-write sequences that must not interleave
 * run under this lock. A lock left by a crashed process expires after its lease.
 */
export function createKeyedLock(connection: Connection): KeyedLock {
  const locks = connection.collection<LockDocument>(locksCollection);
  const localQueues = new Map<string, Promise<unknown>>();

  /** Takes the lock if it is free now, or its holder's lease has run out. */
  async function tryAcquire(key: string, owner: string): Promise<boolean> {
    try {
      await locks.insertOne({ _id: key, owner, expiresAt: new Date(Date.now() + leaseMs) });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await locks.findOne({ _id: key });
    if (holder && holder.expiresAt.getTime() >= Date.now()) return false;
    if (holder) await locks.deleteOne({ _id: key, owner: holder.owner });
    return tryAcquire(key, owner);
  }

  async function acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + waitLimitMs;
    for (let attempt = 0; !(await tryAcquire(key, owner)); attempt++) {
      if (Date.now() > deadline) {
        throw new AppError('busy', 'The resource is busy; retry shortly.', {
          status: 503,
          headers: { 'Retry-After': '1' },
        });
      }
      await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  }

  const releasing = new Set<Promise<void>>();
  let pending: { key: string; owner: string; done: () => void }[] = [];

  /**
   * Releases taken together within one turn of the event loop go out as one delete: under load, a lock costs
   * its insert and a share of one delete. A release that fails leaves the lock to expire with its lease.
   */
  function flushReleases(): void {
    const batch = pending;
    pending = [];
    const filter =
      batch.length === 1
        ? { _id: batch[0].key, owner: batch[0].owner }
        : { $or: batch.map(({ key, owner }) => ({ _id: key, owner })) };
    void locks.deleteMany(filter).then(
      () => batch.forEach(({ done }) => done()),
      () => batch.forEach(({ done }) => done()),
    );
  }

  function release(key: string, owner: string): Promise<void> {
    const released = new Promise<void>((done) => {
      if (!pending.length) setImmediate(flushReleases);
      pending.push({ key, owner, done });
    });
    releasing.add(released);
    void released.then(() => releasing.delete(released));
    return released;
  }

  /** A holder working longer than a third of the lease renews it, so that no other instance takes the lock. */
  async function holding<T>(key: string, owner: string, fn: () => Promise<T>): Promise<T> {
    const renewal = setInterval(() => {
      locks
        .updateOne({ _id: key, owner }, { $set: { expiresAt: new Date(Date.now() + leaseMs) } })
        .catch(() => undefined);
    }, leaseMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
    }
  }

  /** The caller has its answer without waiting for the release; the next writer of the key waits for it. */
  async function runExclusive<T>(key: string, fn: () => Promise<T>, onRelease: (released: Promise<void>) => void) {
    const owner = randomUUID();
    await acquire(key, owner);
    try {
      return await holding(key, owner, fn);
    } finally {
      onRelease(release(key, owner));
    }
  }

  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      // Waiters in this process queue here instead of polling the database.
      const previous = localQueues.get(key) ?? Promise.resolve();
      let released: Promise<void> = Promise.resolve();
      const result = previous.then(() => runExclusive(key, fn, (release) => (released = release)));
      const tail = result.then(
        () => released,
        () => released,
      );
      localQueues.set(key, tail);
      void tail.then(() => {
        if (localQueues.get(key) === tail) localQueues.delete(key);
      });
      return result;
    },

    async tryRun<T>(key: string, fn: () => Promise<T>) {
      const owner = randomUUID();
      if (!(await tryAcquire(key, owner))) return { ran: false as const };
      try {
        return { ran: true as const, result: await holding(key, owner, fn) };
      } finally {
        await release(key, owner);
      }
    },

    async holdMany(keys: string[]) {
      const owner = randomUUID();
      const expiresAt = new Date(Date.now() + leaseMs);
      const taken = await locks
        .insertMany(
          keys.map((key) => ({ _id: key, owner, expiresAt })),
          { ordered: false },
        )
        .then(
          () => keys,
          (error: unknown) => keysInserted(error, keys),
        );
      return { held: taken, release: () => locks.deleteMany({ owner }).then(() => undefined) };
    },

    async drain(): Promise<void> {
      await Promise.all([...localQueues.values(), ...releasing]);
    },
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
