import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection';
import { createKeyedLock, locksCollection } from '../../src/db/keyed-lock';
import { LockLostError, LockTimeoutError } from '../../src/db/lock-errors';
import { startTestApp, testDatabaseUri, type TestApp } from '../support/test-app';

// Short leases, so that outliving several of them takes seconds; every wait below is counted in them.
const leaseMs = 600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the signal aborts; rejects if it has not within `leases` leases. */
async function abortedWithin(signal: AbortSignal, leases: number): Promise<void> {
  const timeout = AbortSignal.timeout(leases * leaseMs);
  await once(signal, 'abort', { signal: timeout }).catch(() => {
    throw new Error(`the holder was not told of its lost lock within ${leases} leases`);
  });
}

describe('a lock shared by instances on one database', () => {
  let t: TestApp;
  let connection: Connection;
  const lockKey = () => `test-lock:${randomUUID()}`;
  const instance = (options: { waitMs?: number } = {}) => createKeyedLock(connection, { leaseMs, ...options });
  const lockDocument = (key: string) => connection.collection(locksCollection).findOne({ _id: key as never });

  beforeAll(async () => {
    t = await startTestApp();
    connection = t.db.connection;
  });

  afterAll(() => t.close());

  /** Tries to take key from another instance every quarter lease until stopped; lists the times it got it. */
  function keepTrying(key: string) {
    const other = instance();
    let trying = true;
    const taken = (async () => {
      const times: string[] = [];
      while (trying) {
        const outcome = await other.tryRun(key, () => Promise.resolve(new Date().toISOString()));
        if (outcome.ran) times.push(outcome.result);
        await sleep(leaseMs / 4);
      }
      return times;
    })();
    return { stop: () => ((trying = false), taken) };
  }

  it('keeps the lock of a holder working three leases long: another instance cannot take it meanwhile', async () => {
    const key = lockKey();

    const outcome = await instance().run(key, async (lease) => {
      const other = keepTrying(key);
      await sleep(3 * leaseMs);
      // Stopped while holding: an attempt still running after the release would take the lock, rightly.
      const takenByTheOtherInstance = await other.stop();
      lease.assertHeld();
      return { finished: true, takenByTheOtherInstance };
    });

    expect(outcome).toEqual({ finished: true, takenByTheOtherInstance: [] });
  });

  it('keeps locks taken with holdMany for three leases, until released', async () => {
    const keys = [lockKey(), lockKey()];
    const { held, lease, release } = await instance().holdMany(keys);
    const other = keepTrying(keys[1]);

    await sleep(3 * leaseMs);

    expect({ held, lost: lease.signal.aborted, takenByTheOtherInstance: await other.stop() }).toEqual({
      held: keys,
      lost: false,
      takenByTheOtherInstance: [],
    });
    await release();
    expect(await lockDocument(keys[0])).toBeNull();
  });

  it('lets another instance take the lock a crashed holder left, once its lease runs out', async () => {
    const key = lockKey();
    const expiresAt = new Date(Date.now() + leaseMs);
    await connection.collection(locksCollection).insertOne({ _id: key as never, owner: 'crashed-instance', expiresAt });
    // Within one lease and a margin, or the run gives up with a LockTimeoutError.
    const other = instance({ waitMs: 2 * leaseMs });
    await expect(other.run(key, () => Promise.resolve('taken after the lease ran out'))).resolves.toBe(
      'taken after the lease ran out',
    );
  });

  it('lets holdMany take the locks a crashed holder left once their lease ran out, and no live holder’s', async () => {
    const [expired, live] = [lockKey(), lockKey()];
    const past = new Date(Date.now() - 1);
    const future = new Date(Date.now() + 60_000);
    await connection
      .collection(locksCollection)
      .insertOne({ _id: expired as never, owner: 'crashed', expiresAt: past });
    await connection.collection(locksCollection).insertOne({ _id: live as never, owner: 'live', expiresAt: future });

    const { held, release } = await instance().holdMany([expired, live]);

    expect(held).toEqual([expired]);
    await release();
    expect(await lockDocument(live)).toMatchObject({ owner: 'live' });
  });

  it('gives up with a LockTimeoutError naming the key when a live holder keeps the lock past the wait', async () => {
    const key = lockKey();
    let finish = () => {};
    const holding = instance().run(key, () => new Promise<void>((resolve) => (finish = resolve)));
    await waitForLockDocument(key);

    const waited = instance({ waitMs: leaseMs }).run(key, () => Promise.resolve('should not run'));

    await expect(waited).rejects.toThrow(LockTimeoutError);
    await expect(waited).rejects.toMatchObject({ key, waitedMs: leaseMs });
    finish();
    await holding;
  });

  it('gives up as well on a waiter queued in the same instance behind a long holder, and never runs it', async () => {
    const key = lockKey();
    const lock = instance({ waitMs: leaseMs });
    let finish = () => {};
    const holding = lock.run(key, () => new Promise<void>((resolve) => (finish = resolve)));
    let ranLate = false;

    const waited = lock.run(key, () => {
      ranLate = true;
      return Promise.resolve();
    });

    await expect(waited).rejects.toMatchObject({ name: 'LockTimeoutError', key, waitedMs: leaseMs });
    finish();
    await holding;
    await expect(lock.run(key, () => Promise.resolve('the next waiter runs'))).resolves.toBe('the next waiter runs');
    expect({ ranLate }).toEqual({ ranLate: false });
  });

  it('tells a holder whose lock another instance took, and nothing it writes after that check lands', async () => {
    const key = lockKey();
    const writes = connection.collection(`lock_writes_${randomUUID().slice(0, 8)}`);

    const run = instance().run(key, async (lease) => {
      await writes.insertOne({ step: 'before the lock was taken' });
      await takeOver(key);
      await abortedWithin(lease.signal, 2);
      lease.assertHeld();
      await writes.insertOne({ step: 'after the lock was taken' });
    });

    await expect(run).rejects.toThrow(LockLostError);
    expect(await writes.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
      { step: 'before the lock was taken' },
    ]);
    expect(await lockDocument(key)).toMatchObject({ owner: 'another-instance' });
  });

  it('rejects the run of a holder that ignored the loss, so its caller does not count on the write', async () => {
    const key = lockKey();

    const run = instance().run(key, async () => {
      await takeOver(key);
      await sleep(2 * leaseMs);
      return 'written without the lock';
    });

    await expect(run).rejects.toThrow(LockLostError);
  });

  it('tells a holder whose database stops answering its renewals, within its lease', async () => {
    const key = lockKey();
    const holderDb = await connectDatabase(testDatabaseUri(), t.dbName);
    const holder = createKeyedLock(holderDb.connection, { leaseMs });

    const run = holder.run(key, async (lease) => {
      await holderDb.connection.close(true);
      await abortedWithin(lease.signal, 2);
      lease.assertHeld();
    });

    await expect(run).rejects.toThrow(LockLostError);
    await expect(run).rejects.toMatchObject({ message: expect.stringContaining('could not be renewed in time') });
  });

  /** What another instance does once the holder's lease has run out, done at once. */
  async function takeOver(key: string): Promise<void> {
    await connection
      .collection(locksCollection)
      .updateOne({ _id: key as never }, { $set: { owner: 'another-instance' } });
  }

  async function waitForLockDocument(key: string): Promise<void> {
    while (!(await lockDocument(key))) await sleep(10);
  }
});
