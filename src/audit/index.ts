import type { Connection } from 'mongoose';
import { createAuditTrail } from './audit-trail';
import { auditModel } from './audit.model';
import { auditRoutes } from './audit.routes';

export type { AuditTrail } from './audit-trail';

export async function createAudit(connection: Connection) {
  const model = auditModel(connection);
  await model.createIndexes();
  const trail = createAuditTrail(model);
  return { trail, routes: auditRoutes(trail) };
}
