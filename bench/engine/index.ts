import { MongoClient } from 'mongodb';
import { startFerretDbOnPostgres } from './ferretdb';
import { addContainmentIndexes } from './containment-indexes';
import { startPostgres } from './postgres';

export interface BenchEngine {
  uri: string;
  /** What the report calls it: `FerretDB v1.24.2 on PostgreSQL 15.18`, `MongoDB 7.0.12`. */
  name: string;
  kind: 'mongodb' | 'ferretdb';
  /** False when the bench uses an engine it did not start (MONGODB_URI). */
  started: boolean;
  /** Called once a database is seeded: the engine's own tuning, if any (GIN indexes under FerretDB). */
  afterSeeding(dbName: string): void;
  stop(): Promise<void>;
}

/** MONGODB_URI when set; otherwise FerretDB on a throw-away PostgreSQL cluster, both stopped by `stop`. */
export async function startEngine(options: { plainFerretDb: boolean }): Promise<BenchEngine> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const described = await describeEngine(external);
    return { uri: external, ...described, started: false, afterSeeding: () => undefined, stop: async () => undefined };
  }
  const postgres = await startPostgres();
  try {
    const ferretdb = await startFerretDbOnPostgres(postgres.url);
    const described = await describeEngine(ferretdb.uri);
    const stop = async () => {
      await ferretdb.stop();
      postgres.stop();
    };
    const gin = options.plainFerretDb ? '' : ', GIN indexes for its pushed-down filters';
    return {
      uri: ferretdb.uri,
      kind: described.kind,
      name: `${described.name} on ${postgres.version}${gin}`,
      started: true,
      afterSeeding: (dbName) => {
        if (!options.plainFerretDb) addContainmentIndexes(postgres, dbName);
      },
      stop,
    };
  } catch (error) {
    postgres.stop();
    throw error;
  }
}

async function describeEngine(uri: string): Promise<{ name: string; kind: BenchEngine['kind'] }> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    if (typeof info.ferretdbVersion === 'string') {
      const backend = process.env.MONGODB_URI ? ' (backend not known to the bench)' : '';
      return { kind: 'ferretdb', name: `FerretDB ${info.ferretdbVersion}${backend}` };
    }
    return { kind: 'mongodb', name: `MongoDB ${String(info.version)}` };
  } finally {
    await client.close();
  }
}
