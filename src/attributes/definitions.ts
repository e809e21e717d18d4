import { isDuplicateKeyError } from '../db/duplicate-key';
import type { Connection } from 'mongoose';
import { createVersionedCache, type VersionedCache } from '../db/versioned-cache';
import type { AttributeDefinition, AttributeModel, StoredAttributeDefinition } from './attribute.model';

/** The attribute definitions as one immutable snapshot; a new snapshot replaces it on every change. */
export interface Definitions {
  list: AttributeDefinition[];
  byKey: ReadonlyMap<string, AttributeDefinition>;
}

export type DefinitionsCache = VersionedCache<Definitions> & {
  /** How long an instance may still validate by a replaced snapshot: its poll, the reload, a request in flight. */
  staleForMs: number;
};

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
  const cache = createVersionedCache({
    connection,
    name: 'attribute-definitions',
    refreshMs,
    load: () => loadDefinitions(model),
  });
  return { ...cache, staleForMs: 4 * refreshMs };
}

export async function loadDefinitions(model: AttributeModel): Promise<Definitions> {
  const stored = await model.find().sort({ createdAt: 1, _id: 1 }).lean();
  return definitionsOf(stored.map(toDefinition));
}

/** The definitions in their order, and by key. */
export function definitionsOf(list: AttributeDefinition[]): Definitions {
  return { list, byKey: new Map(list.map((definition) => [definition.key, definition])) };
}

export function toDefinition(stored: StoredAttributeDefinition & { _id: unknown }): AttributeDefinition {
  const { keyLower: _keyLower, _id, ...definition } = stored;
  return { ...definition, _id: String(_id) };
}

/** Idempotent and safe when several instances start at once: the unique keyLower index settles races. */
export async function seedSystemAttributes(model: AttributeModel): Promise<void> {
  const [first, ...others] = systemAttributes;
  await seedAttribute(model, first, new Date());
  // Every instance dates the others from the stored first one, so their order holds whoever wins each insert.
  const seededAt = (await model.findOne({ keyLower: first.key }).lean())!.createdAt.getTime();
  for (const [index, attribute] of others.entries()) {
    await seedAttribute(model, attribute, new Date(seededAt + index + 1));
  }
}

async function seedAttribute(
  model: AttributeModel,
  attribute: (typeof systemAttributes)[number],
  at: Date,
): Promise<void> {
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
    if (!isDuplicateKeyError(error)) throw error;
  }
}
