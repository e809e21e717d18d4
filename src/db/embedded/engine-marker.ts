import fs from 'node:fs';
import path from 'node:path';
import { embeddedEngines, type EngineName } from './types';

const markerFile = 'engine.json';

/**
 * The engine whose data the directory holds: the marker written when it was initialised, or — for directories
 * from before markers — the engine whose files are there.
 */
export function engineOfDataDir(dataDir: string): EngineName | undefined {
  const marker = path.join(dataDir, markerFile);
  if (fs.existsSync(marker)) {
    const { engine } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { engine?: string };
    return embeddedEngines.find((name) => name === engine);
  }
  const holdsFiles = (dir: string) =>
    fs.existsSync(path.join(dataDir, dir)) && fs.readdirSync(path.join(dataDir, dir)).length > 0;
  if (holdsFiles('postgres')) return 'ferretdb';
  if (holdsFiles('ferretdb')) return 'ferretdb-sqlite';
  if (holdsFiles('mongod')) return 'mongod';
  return undefined;
}

export function markDataDir(dataDir: string, engine: EngineName): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const marker = path.join(dataDir, markerFile);
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, `${JSON.stringify({ engine, createdAt: new Date().toISOString() })}\n`);
  }
}
