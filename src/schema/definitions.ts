import type { Connection } from 'mongoose';
import { createVersionedCache, type VersionedCache } from '../db/versioned-cache';
import type { AttributeDefinition, AttributeModel, StoredAttributeDefinition } from './attribute.model';

/** The attribute definitions as one immutable snapshot; a new snapshot replaces it on every change. */
export interface Definitions {
  list: AttributeDefinition[];
  byKey: ReadonlyMap<string, AttributeDefinition>;
}

export type DefinitionsCache = VersionedCache<Definitions>;

const systemAttributes = [
  { key: 'first_name', label: 'First name', type: 'string' },
  { key: 'last_name', label: 'Last name', type: 'string' },
  { key: 'phone1', label: 'Phone', type: 'phone' },
] as const;

export const nameKeys = ['first_name', 'last_name'] as const;

export function createDefinitionsCache(
  connection: Connection,
  model: AttributeModel,
  refreshMs: number,
): DefinitionsCache {
  return createVersionedCache({
    connection,
    name: 'attribute-definitions',
    refreshMs,
    load: () => loadDefinitions(model),
  });
}

export async function loadDefinitions(model: AttributeModel): Promise<Definitions> {
  const stored = await model.find().sort({ createdAt: 1, _id: 1 }).lean();
  const list = stored.map(toDefinition);
  return { list, byKey: new Map(list.map((definition) => [definition.key, definition])) };
}

export function toDefinition(stored: StoredAttributeDefinition & { _id: unknown }): AttributeDefinition {
  const { keyLower: _keyLower, _id, ...definition } = stored;
  return { ...definition, _id: String(_id) };
}

/** Idempotent and safe when several instances start at once: the unique keyLower index settles races. */
export async function seedSystemAttributes(model: AttributeModel): Promise<void> {
  const seededAt = Date.now();
  for (const [index, attribute] of systemAttributes.entries()) {
    const at = new Date(seededAt + index);
    try {
      await model.updateOne(
        { keyLower: attribute.key },
        {
          $setOnInsert: {
            ...attribute,
            keyLower: attribute.key,
            required: false,
            unique: false,
            system: true,
            createdAt: at,
            updatedAt: at,
          },
        },
        { upsert: true, timestamps: false },
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }
}
