import { isDuplicateKeyError } from './duplicate-key';
import { randomUUID } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';

export interface VersionedCache<T> {
  /** The cached value; loads it on first use. Never reads the database once loaded. */
  get(): Promise<T>;
  /** Call after writing the underlying data: tells every instance to reload, and reloads here now. */
  invalidate(): Promise<T>;
  close(): void;
}

interface VersionDocument {
  _id: string;
  token: string;
}

/**
 * Caches data derived from a collection and keeps instances coherent: every write stores a new random
 * token in `cache_versions`, and each instance polls that one small document every `refreshMs`.
 * A random token rather than a counter, because FerretDB's `$inc` can lose concurrent increments.
 */
export const versionsCollection = 'cache_versions';

export function createVersionedCache<T>(options: {
  connection: Connection;
  name: string;
  refreshMs: number;
  load: () => Promise<T>;
}): VersionedCache<T> {
  const versions = options.connection.collection<VersionDocument>(versionsCollection);
  let current: { token: string | undefined; value: T } | undefined;
  let inFlight: Promise<T> | undefined;

  const readToken = async () => (await versions.findOne({ _id: options.name }))?.token;

  function reload(): Promise<T> {
    inFlight ??= (async () => {
      try {
        const token = await readToken();
        const value = await options.load();
        current = { token, value };
        return value;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  async function refreshIfChanged(): Promise<void> {
    if (!current || inFlight) return;
    if ((await readToken()) !== current.token) await reload();
  }

  const timer = setInterval(() => {
    refreshIfChanged().catch(() => undefined);
  }, options.refreshMs);
  timer.unref();

  return {
    get: () => (current ? Promise.resolve(current.value) : reload()),
    invalidate: async () => {
      await writeNewToken(versions, options.name);
      if (inFlight) await inFlight.catch(() => undefined);
      return reload();
    },
    close: () => clearInterval(timer),
  };
}

async function writeNewToken(versions: mongo.Collection<VersionDocument>, name: string): Promise<void> {
  const update = { $set: { token: randomUUID() } };
  try {
    await versions.updateOne({ _id: name }, update, { upsert: true });
  } catch (error) {
    // Two instances creating the version document at once: the loser updates the winner's.
    if (!isDuplicateKeyError(error)) throw error;
    await versions.updateOne({ _id: name }, update);
  }
}
