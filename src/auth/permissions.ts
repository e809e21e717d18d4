import type { Role } from './api-keys';

export type Permission =
  | 'public'
  | 'contacts:read'
  | 'contacts:search'
  | 'contacts:write'
  | 'contacts:delete'
  | 'schema:read'
  | 'schema:write'
  | 'mapping:read'
  | 'mapping:write'
  | 'interactions:read'
  | 'interactions:post'
  | 'audit:read';

/** What each role may do; admin may do everything. */
const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    'contacts:read',
    'contacts:search',
    'contacts:write',
    'contacts:delete',
    'schema:read',
    'schema:write',
    'mapping:read',
    'mapping:write',
    'interactions:read',
    'interactions:post',
    'audit:read',
  ]),
  agent: new Set<Permission>([
    'contacts:read',
    'contacts:search',
    'contacts:write',
    'schema:read',
    'mapping:read',
    'interactions:read',
  ]),
  integration: new Set<Permission>(['contacts:read', 'contacts:search', 'interactions:post']),
};

export function roleMay(role: Role, permission: Permission): boolean {
  return permission === 'public' || grants[role].has(permission);
}

/**
 * The permission every endpoint needs, in one table so access rules are reviewed in one place;
 * the app refuses to start when a route is missing here.
 */
export const routePermissions: Record<string, Permission> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /getSchema': 'schema:read',
  'POST /saveSchema': 'schema:write',
  'PUT /schema/{schema_id}': 'schema:write',
  'DELETE /schema/{schema_id}': 'schema:write',
  'POST /mapping': 'mapping:write',
  'GET /mapping': 'mapping:read',
  'PUT /mapping/{id}': 'mapping:write',
  'DELETE /mapping/{id}': 'mapping:write',
  'GET /contacts/getContactByName/{name}': 'contacts:search',
  'POST /contacts/getContactsBySearchTerms': 'contacts:search',
  'POST /contacts/lookup': 'contacts:search',
  'GET /contacts/lookup': 'contacts:search',
  'POST /saveContact': 'contacts:write',
  'GET /getContactList': 'contacts:read',
  'GET /contacts/loadMore/{last_id}': 'contacts:read',
  'GET /contacts/{contact_id}': 'contacts:read',
  'PUT /contacts/{contact_id}': 'contacts:write',
  'DELETE /contacts/{contact_id}': 'contacts:delete',
  'GET /interactions/loadInteractions/{id}': 'interactions:read',
  // CTI reconciliation of its own posts: part of posting.
  'GET /interactions/call/{call_Id}': 'interactions:post',
  'POST /interactions/updateOrSaveInteractionTree/{call_Id}': 'interactions:post',
  'GET /audit': 'audit:read',
};

export function permissionOf(method: string, path: string): Permission {
  const permission = routePermissions[`${method.toUpperCase()} ${path}`];
  if (!permission)
    throw new Error(`No permission is declared for ${method.toUpperCase()} ${path} in src/auth/permissions.ts`);
  return permission;
}
