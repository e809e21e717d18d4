export type Filter = Record<string, unknown>;

/** A condition on one field by plain value (`{_phones: '+1…'}`), no operator. */
function isEquality(condition: Filter): boolean {
  const entries = Object.entries(condition);
  if (entries.length !== 1 || entries[0][0].startsWith('$')) return false;
  const value = entries[0][1];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The conditions combined with AND, one plain equality among them lifted to the top level. FerretDB v1 hands
 * only top-level equalities down to its backend and filters anything else itself, after reading the whole
 * collection (seconds on a few thousand contacts); MongoDB plans both shapes alike.
 */
export function allOf(conditions: Filter[]): Filter {
  const lifted = conditions.findIndex(isEquality);
  if (lifted < 0) return conditions.length === 1 ? conditions[0] : { $and: conditions };
  const rest = conditions.filter((_, index) => index !== lifted);
  return rest.length ? { ...conditions[lifted], $and: rest } : conditions[lifted];
}
