import type { Connection, Types } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { DefinitionsCache } from '../attributes/definitions';
import type { KeyedLock } from '../db/keyed-lock';
import { LockLostError } from '../db/lock-errors';
import type { Lease } from '../db/lock-lease';
import type { ContactRepository } from '../contacts/contact.repository';
import type { UniqueClaims } from '../contacts/unique-claims';
import type { Logger } from '../logger';
import { importBatch, type BatchContext, type MergedContacts } from './import-batch';
import {
  chunksCollection,
  jobsCollection,
  type ImportJobDocument,
  type RowCounts,
  publishFinished,
  type PublishImportFinished,
} from './import-job';
import type { RejectStore } from './import-rejects';
import { rowsOf, type ImportRow } from './import-rows';
import { changeStatus } from './job-status';
import { planRow } from './row-plan';

export interface ImportRunnerDependencies {
  connection: Connection;
  repository: ContactRepository;
  claims: UniqueClaims;
  merges: MergedContacts;
  lock: KeyedLock;
  definitions: DefinitionsCache;
  phoneRegion: string;
  audit: AuditTrail;
  rejects: RejectStore;
  logger: Logger;
  publish: PublishImportFinished;
}

const batchSize = 100;
// A job found locked (running on another instance, or left by a crashed one whose lease has not run out yet).
const retryMs = 5_000;

/**
 * Runs queued jobs, and jobs left running by a stopped instance, one at a time in this process and each on one
 * instance only (a lock per job). Progress is saved after every batch; a resumed job skips the rows counted.
 */
export function createImportRunner(deps: ImportRunnerDependencies) {
  const jobs = deps.connection.collection<ImportJobDocument>(jobsCollection);
  const deleteChunks = (jobId: Types.ObjectId) => deps.connection.collection(chunksCollection).deleteMany({ jobId });
  let stopped = false;
  let wanted = false;
  let current: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function runBatch(job: ImportJobDocument, rows: ImportRow[], counts: RowCounts, ctx: BatchContext) {
    const definitions = await deps.definitions.get();
    const plans = rows.map((row) => planRow(row, job, definitions, deps.phoneRegion));
    const outcome = await importBatch(plans, { ...ctx, definitions });
    await deps.rejects.save(job._id, outcome.rejects);
    counts.processed += rows.length;
    counts.created += outcome.created;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchanged;
    counts.rejected += outcome.rejects.length;
    ctx.lease.assertHeld();
    await changeStatus(jobs, deps.lock, job._id, ['running', 'cancelled'], { rows: { ...counts } });
  }

  /** False when the job was cancelled or the process is stopping: the job then stops after its last batch. */
  async function mayGoOn(jobId: Types.ObjectId): Promise<boolean> {
    if (stopped) return false;
    return (await jobs.findOne({ _id: jobId }, { projection: { status: 1 } }))?.status === 'running';
  }

  async function process(job: ImportJobDocument, lease: Lease): Promise<void> {
    const counts = { ...job.rows };
    const ctx: BatchContext = {
      ...deps,
      jobId: job._id,
      options: job,
      definitions: await deps.definitions.get(),
      lease,
      seenTokens: new Map(),
    };
    let batch: ImportRow[] = [];
    let read = 0;
    for await (const row of rowsOf(deps.connection, job._id, job.format)) {
      if (++read <= job.rows.processed) continue;
      batch.push(row);
      if (batch.length < batchSize) continue;
      if (!(await mayGoOn(job._id))) return;
      await runBatch(job, batch, counts, ctx);
      batch = [];
    }
    if (!(await mayGoOn(job._id))) return;
    if (batch.length) await runBatch(job, batch, counts, ctx);
    await finish(job, counts);
  }

  /** One audit entry per job, keyed by the job's id: a job resumed after a crash is recorded once. */
  async function finish(job: ImportJobDocument, counts: RowCounts): Promise<void> {
    const facts = {
      action: 'import' as const,
      resource: 'contacts' as const,
      entityId: String(job._id),
      changed: job.columns,
    };
    const complete = () =>
      changeStatus(jobs, deps.lock, job._id, ['running'], { status: 'completed', finishedAt: new Date() });
    const completed = job.dryRun
      ? await complete()
      : await deps.audit.record(job.context, facts, complete, {
          entryId: job._id,
          count: () => counts.created + counts.updated,
        });
    if (completed) await publishFinished(deps.publish, completed);
    deps.logger.info({ importId: String(job._id), rows: counts }, 'import finished');
  }

  async function runJob(jobId: Types.ObjectId, lease: Lease): Promise<void> {
    const job = await changeStatus(jobs, deps.lock, jobId, ['queued', 'running'], (stored) => ({
      status: 'running',
      startedAt: stored.startedAt ?? new Date(),
    }));
    if (!job) return;
    try {
      await process(job, lease);
      if (!stopped) await deleteChunks(jobId);
    } catch (error) {
      if (error instanceof LockLostError || stopped) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const failed = { status: 'failed' as const, error: message.slice(0, 500), finishedAt: new Date() };
      const ended = await changeStatus(jobs, deps.lock, jobId, ['running'], failed);
      if (ended) await publishFinished(deps.publish, ended);
      // The message only: a parser's error object can carry the row it stopped at, which is personal data.
      deps.logger.warn({ importId: String(jobId), reason: message.slice(0, 200) }, 'import failed');
      await deleteChunks(jobId);
    }
  }

  async function pass(): Promise<void> {
    const pending = await jobs
      .find({ status: { $in: ['queued', 'running'] } }, { sort: { _id: 1 }, projection: { _id: 1 } })
      .toArray();
    let skipped = false;
    for (const { _id } of pending) {
      if (stopped) return;
      const outcome = await deps.lock.tryRun(`import:${String(_id)}`, (lease) => runJob(_id, lease));
      if (!outcome.ran) skipped = true;
    }
    if (skipped && !stopped) retry = setTimeout(kick, retryMs);
  }

  async function loop(): Promise<void> {
    while (wanted && !stopped) {
      wanted = false;
      await pass().catch((error: unknown) => {
        deps.logger.error({ err: error }, 'running imports failed; retrying');
        if (!stopped) retry = setTimeout(kick, retryMs);
      });
    }
    current = undefined;
  }

  function kick(): void {
    wanted = true;
    clearTimeout(retry);
    current ??= loop();
  }

  return {
    /** Looks for work now: at start-up and after each upload. */
    kick,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      await current;
    },
  };
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
