import type { Permission } from '../http/permission';
import type { Role } from './api-keys';

/** What each role may do; admin may do everything. */
const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    'contacts:read',
    'contacts:search',
    'contacts:write',
    'contacts:delete',
    'contacts:merge',
    'contacts:export',
    'contacts:import',
    'schema:read',
    'schema:write',
    'mapping:read',
    'mapping:write',
    'interactions:read',
    'interactions:post',
    'audit:read',
    'webhooks:manage',
  ]),
  agent: new Set<Permission>([
    'contacts:read',
    'contacts:search',
    'contacts:write',
    'contacts:merge',
    'schema:read',
    'mapping:read',
    'interactions:read',
  ]),
  integration: new Set<Permission>(['contacts:read', 'contacts:search', 'interactions:post']),
};

export function roleMay(role: Role, permission: Permission): boolean {
  return permission === 'public' || grants[role].has(permission);
}
