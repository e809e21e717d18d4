import type { RouteSpec } from './route';

const leadingVerb = /^(get|save|post|put|update|delete|load|search)[A-Z]/;

/** `getSchema` for GET /getSchema (the contract's paths often start with a verb), `getContactsContactId` otherwise. */
export function operationIdOf(spec: RouteSpec): string {
  if (spec.operationId) return spec.operationId;
  const words = spec.path
    .split(/[^A-Za-z0-9_]+/)
    .filter(Boolean)
    .map((part) => part.replace(/_([a-z])/gi, (_, c: string) => c.toUpperCase()));
  const name = words.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
  return leadingVerb.test(name) ? name : `${spec.method}${name[0].toUpperCase()}${name.slice(1)}`;
}

export function assertUniqueOperationIds(routes: RouteSpec[]): void {
  const seen = new Map<string, string>();
  for (const spec of routes) {
    const id = operationIdOf(spec);
    const where = `${spec.method.toUpperCase()} ${spec.path}`;
    if (seen.has(id)) throw new Error(`${where} and ${seen.get(id)} share the operationId ${id}; set one explicitly`);
    seen.set(id, where);
  }
}

export function assertLinksResolve(routes: RouteSpec[]): void {
  const ids = new Set(routes.map(operationIdOf));
  for (const spec of routes) {
    for (const [name, link] of Object.entries(spec.links ?? {})) {
      if (!ids.has(link.operationId)) throw new Error(`Link ${name} of ${spec.path} names no operation`);
    }
  }
}
