import mongoose, { type Connection } from 'mongoose';

export interface DatabaseHandle {
  connection: Connection;
  engine: 'mongodb' | 'ferretdb';
  /** FerretDB's PostgreSQL, when CIM may add indexes there (the embedded engine's own cluster). */
  postgresUrl?: string;
}

export async function connectDatabase(
  uri: string,
  dbName: string,
  options: { postgresUrl?: string } = {},
): Promise<DatabaseHandle> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 5_000,
    writeConcern: { w: 'majority' },
    // Queries through Mongoose models refuse operator objects not marked trusted() by our own code. Queries through
    // the driver (contacts) never see this: their filters are built from ids and validated scalars only.
    sanitizeFilter: true,
  });
  await connection.asPromise();
  const buildInfo = await connection.db!.admin().command({ buildInfo: 1 });
  const isFerretDb = typeof buildInfo.ferretdbVersion === 'string' || 'ferretdb' in buildInfo;
  return {
    connection,
    engine: isFerretDb ? 'ferretdb' : 'mongodb',
    postgresUrl: isFerretDb ? options.postgresUrl : undefined,
  };
}

/** Creates the collection unless it exists, so that it gets its indexes at start-up rather than at first use. */
export async function ensureCollection(connection: Connection, name: string): Promise<void> {
  const existing = await connection.db!.listCollections({ name }, { nameOnly: true }).toArray();
  if (existing.length) return;
  await connection.db!.createCollection(name).catch((error: { code?: number }) => {
    if (error.code !== 48) throw error; // NamespaceExists: another instance created it meanwhile
  });
}

/** Pings the database; rejects when it does not answer in time. */
export async function pingDatabase(connection: Connection, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
  });
  try {
    if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db)
      throw new Error('database not connected');
    await Promise.race([connection.db.admin().ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
