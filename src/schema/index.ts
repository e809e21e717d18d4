import type { Connection } from 'mongoose';
import { attributeModel } from './attribute.model';
import { createDefinitionsCache, seedSystemAttributes } from './definitions';
import { schemaRoutes } from './schema.routes';
import { createSchemaService } from './schema.service';

/** The attribute definitions: stored, seeded, cached coherently across instances. */
export async function createDefinitions(connection: Connection, refreshMs: number) {
  const model = attributeModel(connection);
  await model.createIndexes();
  await seedSystemAttributes(model);
  return { model, cache: createDefinitionsCache(connection, model, refreshMs) };
}

export function createSchemaFeature(deps: Parameters<typeof createSchemaService>[0]) {
  return { routes: schemaRoutes(createSchemaService(deps)) };
}
