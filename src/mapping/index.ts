import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import { createVersionedCache } from '../db/versioned-cache';
import type { Lease } from '../db/lock-lease';
import { mappingModel } from './mapping.model';
import { mappingRoutes } from './mapping.routes';
import { createMappingService, toMapping, type MappingsCache } from './mapping.service';

export type { MappingsCache } from './mapping.service';

export async function createMappingFeature(deps: {
  connection: Connection;
  isAttributeDefined: (key: string) => Promise<boolean>;
  exclusiveWithDefinitions: <T>(write: (lease: Lease) => Promise<T>) => Promise<T>;
  refreshMs: number;
  audit: AuditTrail;
  publish: (type: 'mapping.changed', data: Record<string, unknown>) => Promise<void>;
}) {
  const model = mappingModel(deps.connection);
  await model.createIndexes();
  const mappings: MappingsCache = createVersionedCache({
    connection: deps.connection,
    name: 'call-variable-mappings',
    refreshMs: deps.refreshMs,
    load: async () => (await model.find().sort({ _id: 1 }).lean()).map(toMapping),
  });
  const service = createMappingService({
    model,
    mappings,
    isAttributeDefined: deps.isAttributeDefined,
    exclusiveWithDefinitions: deps.exclusiveWithDefinitions,
    audit: deps.audit,
    publish: deps.publish,
  });
  return { routes: mappingRoutes(service), mappings, isKeyMapped: service.isKeyMapped, close: () => mappings.close() };
}
