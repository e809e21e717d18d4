import type { DatabaseHandle } from '../db/connection';
import { chunksCollection, jobsCollection, rejectsCollection } from './import-job';
import { rejectStore } from './import-rejects';
import { createImportRunner, type ImportRunnerDependencies } from './import-runner';
import { importRoutes } from './import.routes';
import { createImportService } from './import.service';

export type ImportsFeatureDependencies = Omit<ImportRunnerDependencies, 'connection' | 'rejects'> & {
  db: DatabaseHandle;
  maxBytes: number;
};

export async function createImportsFeature(deps: ImportsFeatureDependencies) {
  const { connection } = deps.db;
  await connection.collection(chunksCollection).createIndex({ jobId: 1, seq: 1 });
  await connection.collection(rejectsCollection).createIndex({ jobId: 1, row: 1 });
  await connection.collection(jobsCollection).createIndex({ status: 1 });
  const rejects = rejectStore(connection);
  const runner = createImportRunner({ ...deps, connection, rejects });
  const service = createImportService({ ...deps, connection, runner, rejects });
  return { routes: importRoutes(service), start: () => runner.kick(), stop: () => runner.stop() };
}
