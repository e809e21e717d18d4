import type { AttributeType } from '../../src/attributes/attribute-types';
import type { AttributeDefinition } from '../../src/attributes/attribute.model';
import { definitionsOf as definitionsFromList } from '../../src/attributes/definitions';

const at = new Date('2024-01-01T00:00:00Z');

/** Attribute definitions as the cache holds them, for the pure functions that read them. */
export function definitionsOf(types: Record<string, AttributeType>, extra: Partial<AttributeDefinition> = {}) {
  const list: AttributeDefinition[] = Object.entries(types).map(([key, type]) => ({
    _id: key,
    key,
    label: key,
    type,
    required: false,
    unique: false,
    system: false,
    createdAt: at,
    updatedAt: at,
    ...(type === 'enum' ? { options: ['gold', 'Gold Plus'] } : {}),
    ...extra,
  }));
  return definitionsFromList(list);
}

export const systemTypes = { first_name: 'string', last_name: 'string', phone1: 'phone' } as const;
