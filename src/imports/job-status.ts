import type { Collection, Types } from 'mongoose';
import type { KeyedLock } from '../db/keyed-lock';
import type { ImportJobDocument } from './import-job';

type Status = ImportJobDocument['status'];

/**
 * Changes a job whose status is one of `from` (its status or its progress), under a lock per job. FerretDB v1 runs
 * a conditional update as read, then write of the whole document, without isolation: a cancel could otherwise be
 * overwritten by the runner's start, progress or end. Resolves to the job as changed, or undefined when its status
 * was not one of `from`.
 */
export function changeStatus(
  jobs: Collection<ImportJobDocument>,
  lock: KeyedLock,
  jobId: Types.ObjectId,
  from: Status[],
  set: Partial<ImportJobDocument> | ((job: ImportJobDocument) => Partial<ImportJobDocument>),
): Promise<ImportJobDocument | undefined> {
  return lock.run(`import-status:${String(jobId)}`, async () => {
    const job = await jobs.findOne({ _id: jobId });
    if (!job || !from.includes(job.status)) return undefined;
    const changes = typeof set === 'function' ? set(job) : set;
    await jobs.updateOne({ _id: jobId }, { $set: changes });
    return { ...job, ...changes };
  });
}
