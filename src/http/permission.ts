/** What a route needs its caller's role to grant: `public` needs no key at all. Roles grant them in src/auth. */
export type Permission =
  | 'public'
  | 'contacts:read'
  | 'contacts:search'
  | 'contacts:write'
  | 'contacts:delete'
  | 'contacts:merge'
  | 'contacts:export'
  | 'contacts:import'
  | 'schema:read'
  | 'schema:write'
  | 'mapping:read'
  | 'mapping:write'
  | 'interactions:read'
  | 'interactions:post'
  | 'audit:read'
  | 'webhooks:manage';
