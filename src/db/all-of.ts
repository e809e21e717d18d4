export type Filter = Record<string, unknown>;

/** A condition on one field by a plain, already validated value: `{ _phones: '+14155550100' }`. */
export type Equality = Record<string, string | number | boolean>;

/** A condition on one field by plain value (`{_phones: '+1…'}`), no operator. */
function isEquality(condition: Filter): boolean {
  const entries = Object.entries(condition);
  if (entries.length !== 1 || entries[0][0].startsWith('$')) return false;
  const value = entries[0][1];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The conditions combined with AND, the first plain equality on each field lifted to the top level. FerretDB v1
 * hands only top-level equalities down to its backend (all of them, ANDed) and filters anything else itself,
 * after reading every document the lifted ones match; MongoDB plans both shapes alike. Callers put their most
 * selective condition on a field first.
 */
export function allOf(conditions: Filter[]): Filter {
  const top: Filter = {};
  const rest: Filter[] = [];
  for (const condition of conditions) {
    const [field] = Object.keys(condition);
    if (isEquality(condition) && !(field in top)) top[field] = condition[field];
    else rest.push(condition);
  }
  if (!rest.length) return top;
  if (!Object.keys(top).length && rest.length === 1) return rest[0];
  return { ...top, $and: rest };
}
