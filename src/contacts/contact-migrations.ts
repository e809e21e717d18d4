import type { AnyBulkWriteOperation, Document, UpdateFilter } from 'mongodb';
import { trusted } from 'mongoose';
import { bulkWriteInChunks } from '../db/bulk-write';
import { inputFromStored, uniqueTokenOf, valueSchema, type AttributeValue } from '../schema/attribute-types';
import type { AttributeDefinition } from '../schema/attribute.model';
import type { Definitions } from '../schema/definitions';
import type { ContactDocument, ContactModel } from './contact.model';
import { attributesOf } from './contact-response';
import { searchFieldsOf } from './search-fields';
import type { UniqueClaims } from './unique-claims';

export interface Violations {
  count: number;
  /** A few of the violating contacts, to show the admin where to look. */
  contactIds: string[];
  /** Of an enum rule: stored values that are not among its options (a few dozen at most). Personal data: show an admin only what they already know, such as removed options. */
  valuesOutsideOptions: string[];
}

const valuesOutsideOptionsKept = 50;

/** What changes to an attribute definition do to the stored contacts. */
export function createContactMigrations(deps: { contacts: ContactModel; claims: UniqueClaims; phoneRegion: string }) {
  const { contacts, claims } = deps;

  function convert(value: unknown, rule: AttributeDefinition): AttributeValue | undefined {
    const parsed = valueSchema(rule, deps.phoneRegion).safeParse(inputFromStored(value, rule.type));
    return parsed.success ? parsed.data : undefined;
  }

  return {
    /** Contacts that would not satisfy the attribute's new rule (type, options, required, unique). */
    async findViolations(next: AttributeDefinition): Promise<Violations> {
      const ids: string[] = [];
      // Of contacts whose values would collide, the oldest keeps the value: the others are reported, whatever
      // order the engine reads them in (PostgreSQL's is not the order of creation).
      const holders = new Map<string, string>();
      const valuesOutsideOptions = new Set<string>();
      const filter = next.required ? {} : { [next.key]: trusted({ $exists: true }) };
      for await (const document of contacts
        .find(filter)
        .select({ [next.key]: 1 })
        .lean<ContactDocument[]>()
        .cursor()) {
        const id = String(document._id);
        const value = document[next.key];
        const converted = value === undefined || value === null ? undefined : convert(value, next);
        if (converted === undefined) {
          if (next.required || value !== undefined) ids.push(id);
          if (next.options && typeof value === 'string' && valuesOutsideOptions.size < valuesOutsideOptionsKept)
            valuesOutsideOptions.add(value);
          continue;
        }
        if (!next.unique) continue;
        const token = uniqueTokenOf(next.key, next.type, converted);
        const holder = holders.get(token);
        if (holder !== undefined) ids.push(id > holder ? id : holder);
        holders.set(token, holder !== undefined && holder < id ? holder : id);
      }
      return { count: ids.length, contactIds: ids.sort().slice(0, 5), valuesOutsideOptions: [...valuesOutsideOptions] };
    },

    /** Rewrites one attribute on every contact holding it (converted to its new type, or removed) and reindexes. */
    async rewriteAttribute(key: string, definitions: Definitions): Promise<void> {
      const rule = definitions.byKey.get(key);
      let batch: AnyBulkWriteOperation[] = [];
      for await (const document of contacts
        .find({ [key]: trusted({ $exists: true }) })
        .lean<ContactDocument[]>()
        .cursor()) {
        const attributes = attributesOf(document);
        const value = rule ? convert(document[key], rule) : undefined;
        if (value === undefined) delete attributes[key];
        else attributes[key] = value;
        const update: UpdateFilter<Document> =
          value === undefined ? { $unset: { [key]: '' } } : { $set: { [key]: value } };
        batch.push({
          updateOne: {
            filter: { _id: document._id },
            update: { ...update, $set: { ...update.$set, ...searchFieldsOf(attributes, definitions, document._id) } },
          },
        });
        if (batch.length === 500) batch = await flush(batch);
      }
      await flush(batch);
    },

    /**
     * Brings the claims of an attribute in line with the stored contacts after its rule changed at `changedAt`.
     * Claims are added and dropped, never wiped first: a contact written since under the new rule keeps its claim.
     */
    async rebuildUniqueClaims(key: string, definitions: Definitions, changedAt: Date): Promise<void> {
      const rule = definitions.byKey.get(key);
      if (!rule?.unique) return claims.releaseAllFor(key);
      const entries = [];
      for await (const document of contacts
        .find({ [key]: trusted({ $exists: true }) })
        .select({ [key]: 1 })
        .lean<ContactDocument[]>()
        .cursor()) {
        entries.push({
          key,
          contactId: String(document._id),
          token: uniqueTokenOf(key, rule.type, document[key] as AttributeValue),
        });
      }
      await claims.insertMissing(entries);
      await claims.releaseStale(key, new Set(entries.map((entry) => entry.token)), changedAt);
    },

    countContacts: () => contacts.countDocuments(),
  };

  async function flush(batch: AnyBulkWriteOperation[]) {
    await bulkWriteInChunks(contacts.collection, batch);
    return [];
  }
}

export type ContactMigrations = ReturnType<typeof createContactMigrations>;
