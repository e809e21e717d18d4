import type { Connection } from 'mongoose';
import { z } from 'zod';
import type { KeyedLock } from '../db/keyed-lock';
import type { Logger } from '../logger';
import type { Definitions, DefinitionsCache } from '../attributes/definitions';
import { absorbedPhonesOf, contactLockKey, type ContactDocument } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { attributesOf } from './contact-response';
import { searchFieldsOf, searchFieldsVersion } from './search-fields';

export const backfillProgressSchema = z
  .object({
    version: z.number().int(),
    state: z.enum(['waiting', 'running', 'done']),
    processed: z.number().int().describe('Contacts read in the current pass, of about `total`'),
    rewritten: z.number().int(),
    total: z.number().int(),
  })
  .describe(
    'Re-deriving stored contacts’ search fields after an upgrade: until done, name and prefix search miss the ' +
      'contacts not yet rewritten (screen pop and reads by id are unaffected).',
  );
export type BackfillProgress = z.infer<typeof backfillProgressSchema>;

interface JobDocument extends BackfillProgress {
  _id: string;
  updatedAt: Date;
}

export const jobsCollection = 'background_jobs';
const jobId = 'search-fields';
const batchSize = 200;
const retryMs = 30_000;

/**
 * Re-derives the search fields of stored contacts written by an older version of searchFieldsOf, in the
 * background while the server serves: one instance at a time (a renewed lease), in batches, each contact under
 * its own lock and only if unchanged since read, so a concurrent update always wins. Passes repeat until one
 * finds nothing left; a restarted instance carries on (rewritten contacts are skipped).
 */
export function createSearchBackfill(deps: {
  connection: Connection;
  engine: 'mongodb' | 'ferretdb';
  repository: ContactRepository;
  definitions: DefinitionsCache;
  lock: KeyedLock;
  /** Unique values compare by folded text, whose folding may have changed with the version. */
  rebuildUniqueClaims(definitions: Definitions, since: Date): Promise<void>;
  logger: Logger;
}) {
  const jobs = deps.connection.collection<JobDocument>(jobsCollection);
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  const saveProgress = (progress: BackfillProgress) =>
    jobs.updateOne({ _id: jobId }, { $set: { ...progress, updatedAt: new Date() } }, { upsert: true });

  /** Rewrites the batch's contacts that are free and unchanged; the others wait for the next pass. */
  async function rewrite(batch: ContactDocument[]): Promise<{ rewritten: number; skipped: number }> {
    const definitions = await deps.definitions.get();
    const { held, lease, release } = await deps.lock.holdMany(
      batch.map((document) => contactLockKey(String(document._id))),
    );
    try {
      const free = new Set(held);
      const updates = batch
        .filter((document) => free.has(contactLockKey(String(document._id))))
        .map((document) => ({
          updateOne: {
            filter: { _id: document._id, updatedAt: document.updatedAt },
            update: {
              $set: searchFieldsOf(attributesOf(document), definitions, document._id, absorbedPhonesOf(document)),
            },
          },
        }));
      lease.assertHeld();
      const rewritten = await deps.repository.updateEach(updates);
      return { rewritten, skipped: batch.length - rewritten };
    } finally {
      await release();
    }
  }

  async function pass(rewrittenBefore: number): Promise<{ rewritten: number; skipped: number }> {
    const progress: BackfillProgress = {
      version: searchFieldsVersion,
      state: 'running',
      processed: 0,
      rewritten: rewrittenBefore,
      total: await deps.repository.estimatedCount(deps.engine),
    };
    let skipped = 0;
    let batch: ContactDocument[] = [];
    const flush = async () => {
      const done = await rewrite(batch);
      progress.rewritten += done.rewritten;
      skipped += done.skipped;
      batch = [];
      await saveProgress(progress);
    };
    for await (const document of deps.repository.scanAll(500)) {
      if (stopped) break;
      progress.processed++;
      if (document._sv === searchFieldsVersion) continue;
      batch.push(document);
      if (batch.length === batchSize) await flush();
    }
    if (batch.length) await flush();
    return { rewritten: progress.rewritten - rewrittenBefore, skipped };
  }

  async function backfill(): Promise<void> {
    const started = new Date();
    let rewritten = 0;
    for (;;) {
      const result = await pass(rewritten);
      rewritten += result.rewritten;
      if (stopped) return;
      if (result.skipped === 0) break;
    }
    if (rewritten) await deps.rebuildUniqueClaims(await deps.definitions.get(), started);
    const total = await deps.repository.estimatedCount(deps.engine);
    await saveProgress({ version: searchFieldsVersion, state: 'done', processed: total, rewritten, total });
    if (rewritten)
      deps.logger.info(
        { rewritten },
        `search fields of ${rewritten} contacts re-derived (version ${searchFieldsVersion})`,
      );
  }

  async function attempt(): Promise<void> {
    if (stopped || (await progress())?.state === 'done') return;
    const outcome = await deps.lock.tryRun('search-backfill', backfill);
    if (!outcome.ran && !stopped) retry = setTimeout(() => void start(), retryMs);
  }

  // Once done for this version it stays done: /ready, polled by load balancers, then reads nothing more.
  let finished: BackfillProgress | undefined;

  async function progress(): Promise<BackfillProgress | undefined> {
    if (finished) return finished;
    const job = await jobs.findOne({ _id: jobId });
    if (!job || job.version !== searchFieldsVersion) return undefined;
    const { version, state, processed, rewritten, total } = job;
    if (state === 'done') finished = { version, state, processed, rewritten, total };
    return { version, state, processed, rewritten, total };
  }

  function start(): Promise<void> {
    current = attempt().catch((error: unknown) => {
      deps.logger.error({ err: error }, 're-deriving search fields failed; retrying in 30 s');
      if (!stopped) retry = setTimeout(() => void start(), retryMs);
    });
    return current;
  }

  return {
    start,
    /** Where the backfill stands, for /ready: done, running elsewhere or here, or waiting for its first run. */
    async progress(): Promise<BackfillProgress> {
      return (
        (await progress()) ?? { version: searchFieldsVersion, state: 'waiting', processed: 0, rewritten: 0, total: 0 }
      );
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      await current;
    },
  };
}
