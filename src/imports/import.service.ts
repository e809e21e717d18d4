import type { Request, Response } from 'express';
import { Types, type Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import type { RequestContext } from '../http/request-context';
import type { DefinitionsCache } from '../attributes/definitions';
import { checkProblems, optionProblems } from './import-checks';
import {
  chunksCollection,
  jobsCollection,
  noRows,
  publishFinished,
  toImportJobResponse,
  type PublishImportFinished,
  type ImportJobDocument,
  type ImportJobResponse,
  type ImportOptions,
} from './import-job';
import type { RejectStore } from './import-rejects';
import type { ImportRunner } from './import-runner';
import { storeUpload } from './import-upload';
import { changeStatus } from './job-status';
import type { KeyedLock } from '../db/keyed-lock';

export interface ImportServiceDependencies {
  connection: Connection;
  definitions: DefinitionsCache;
  runner: ImportRunner;
  rejects: RejectStore;
  lock: KeyedLock;
  maxBytes: number;
  publish: PublishImportFinished;
}

function importNotFound(id: string): AppError {
  return new AppError('not-found', `No import has the id ${id}.`, { status: 404 });
}

export function createImportService(deps: ImportServiceDependencies) {
  const jobs = deps.connection.collection<ImportJobDocument>(jobsCollection);

  async function findJob(id: string): Promise<ImportJobDocument> {
    const job = await jobs.findOne({ _id: new Types.ObjectId(id) });
    if (!job) throw importNotFound(id);
    return job;
  }

  return {
    /** Checks the options and the header, stores the file, queues the job; the rows are read in the background. */
    async startImport(req: Request, options: ImportOptions, context: RequestContext): Promise<ImportJobResponse> {
      const definitions = await deps.definitions.get();
      checkProblems(optionProblems(options, definitions), 'The import options are not valid');
      const _id = new Types.ObjectId();
      const limits = { maxBytes: deps.maxBytes, definitions };
      const columns = await storeUpload(deps.connection, req, _id, options, limits);
      const job: ImportJobDocument = {
        _id,
        ...options,
        status: 'queued',
        columns,
        rows: noRows,
        context: { requestId: context.requestId, ...(context.actor ? { actor: { ...context.actor } } : {}) },
        createdAt: new Date(),
      };
      await jobs.insertOne(job);
      deps.runner.kick();
      return toImportJobResponse(job);
    },

    getImport: async (id: string) => toImportJobResponse(await findJob(id)),

    async listImports(limit: number, before?: string): Promise<ImportJobResponse[]> {
      const filter = before ? { _id: { $lt: new Types.ObjectId(before) } } : {};
      return (await jobs.find(filter, { sort: { _id: -1 }, limit }).toArray()).map(toImportJobResponse);
    },

    /** A queued or running job stops after its current batch; the rows written stay. A finished job is left as it is. */
    async cancelImport(id: string): Promise<ImportJobResponse> {
      const _id = new Types.ObjectId(id);
      const cancelled = { status: 'cancelled' as const, finishedAt: new Date() };
      const ended = await changeStatus(jobs, deps.lock, _id, ['queued', 'running'], cancelled);
      if (ended) await publishFinished(deps.publish, ended);
      await deps.connection.collection(chunksCollection).deleteMany({ jobId: _id });
      return toImportJobResponse(await findJob(id));
    },

    async streamRejects(id: string, res: Response): Promise<void> {
      await deps.rejects.stream(await findJob(id), res);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
