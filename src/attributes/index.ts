import type { Connection } from 'mongoose';
import { createKeyedLock, type KeyedLock } from '../db/keyed-lock';
import { attributeModel } from './attribute.model';
import { createDefinitionsCache, seedSystemAttributes } from './definitions';
import { schemaRoutes } from './schema.routes';
import { createSchemaService, type SchemaServiceDependencies } from './schema.service';
import { createUnfinishedMigrations } from './unfinished-migrations';

export { definitionsLockKey } from './schema.service';

/** The attribute definitions: stored, seeded, cached coherently across instances. */
export async function createDefinitions(connection: Connection, refreshMs: number) {
  const model = attributeModel(connection);
  await model.createIndexes();
  await seedSystemAttributes(model);
  return { model, cache: createDefinitionsCache(connection, model, refreshMs) };
}

/** Without a lock of the app's, the feature makes its own on the definitions' connection. */
export function createSchemaFeature(
  deps: Omit<SchemaServiceDependencies, 'lock' | 'unfinished'> & { lock?: KeyedLock },
) {
  const lock = deps.lock ?? createKeyedLock(deps.model.db);
  const service = createSchemaService({ ...deps, lock, unfinished: createUnfinishedMigrations(deps.model.db) });
  return { routes: schemaRoutes(service), finishUnfinishedMigrations: service.finishUnfinishedMigrations };
}
