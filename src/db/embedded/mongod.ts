import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddedDatabase } from './types';

/** A real mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY, or a download where the network allows). */
export async function startMongod(options: { dataDir: string; persistent: boolean }): Promise<EmbeddedDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const dbPath = path.join(options.dataDir, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' },
  });
  return {
    engine: 'mongod',
    uri: server.getUri(),
    dataDir: dbPath,
    stop: async () => {
      await server.stop({ doCleanup: !options.persistent, force: false });
    },
  };
}
