import fs from 'node:fs';
import type { EmbeddedDatabase } from '../../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).cimTestDatabase as
    { database: EmbeddedDatabase; dataDir: string } | undefined;
  if (!started) return;
  await started.database.stop();
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
