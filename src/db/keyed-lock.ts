import { isDuplicateKeyError } from './duplicate-key';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';

export interface KeyedLock {
  /** Runs fn while holding the lock on key, across this process and every instance on the database. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Resolves once every lock taken so far is released (at shutdown). */
  drain(): Promise<void>;
}

interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

const leaseMs = 10_000;
const waitLimitMs = 15_000;

/**
 * A mutex per key made of a document in `locks`: inserting it takes the lock (the unique _id
 * settles races on every engine), deleting it releases it. FerretDB v1 runs updates as
 * read-modify-write without isolation, so read-modify-write sequences that must not interleave
 * run under this lock. A lock left by a crashed process expires after its lease.
 */
export function createKeyedLock(connection: Connection): KeyedLock {
  const locks = connection.collection<LockDocument>('locks');
  const localQueues = new Map<string, Promise<unknown>>();

  async function acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + waitLimitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await locks.insertOne({ _id: key, owner, expiresAt: new Date(Date.now() + leaseMs) });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const holder = await locks.findOne({ _id: key });
      if (holder && holder.expiresAt.getTime() < Date.now()) {
        await locks.deleteOne({ _id: key, owner: holder.owner });
        continue;
      }
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

  /** A release that fails leaves the lock to expire with its lease. */
  function release(key: string, owner: string): Promise<void> {
    const released = locks.deleteOne({ _id: key, owner }).then(
      () => undefined,
      () => undefined,
    );
    releasing.add(released);
    void released.then(() => releasing.delete(released));
    return released;
  }

  /** The caller has its answer without waiting for the release; the next writer of the key waits for it. */
  async function runExclusive<T>(key: string, fn: () => Promise<T>, onRelease: (released: Promise<void>) => void) {
    const owner = randomUUID();
    await acquire(key, owner);
    try {
      return await fn();
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

    async drain(): Promise<void> {
      await Promise.all([...localQueues.values(), ...releasing]);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
