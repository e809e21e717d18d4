import type { AnyBulkWriteOperation, Document, UpdateFilter } from 'mongodb';
import { inputFromStored, uniqueTokenOf, valueSchema, type AttributeValue } from '../attributes/attribute-types';
import type { Definitions } from '../attributes/definitions';
import type { ValueMigrations, ValueRule, Violations } from '../attributes/value-migrations';
import type { Lease } from '../db/lock-lease';
import { absorbedPhonesOf } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { attributesOf } from './contact-response';
import { searchFieldsOf } from './search-fields';
import type { UniqueClaims } from './unique-claims';

const valuesOutsideOptionsKept = 50;

/** What changes to an attribute definition do to the stored contacts. */
export function createContactMigrations(deps: {
  repository: ContactRepository;
  claims: UniqueClaims;
  phoneRegion: string;
}): ValueMigrations {
  const { repository, claims } = deps;

  function convert(value: unknown, rule: ValueRule): AttributeValue | undefined {
    const parsed = valueSchema(rule, deps.phoneRegion).safeParse(inputFromStored(value, rule.type));
    return parsed.success ? parsed.data : undefined;
  }

  return {
    /** Contacts that would not satisfy the attribute's new rule (type, options, required, unique). */
    async findViolations(next: ValueRule): Promise<Violations> {
      const ids: string[] = [];
      // Of contacts whose values would collide, the oldest keeps the value: the others are reported, whatever
      // order the engine reads them in (PostgreSQL's is not the order of creation).
      const holders = new Map<string, string>();
      const valuesOutsideOptions = new Set<string>();
      for await (const document of repository.holdersOf(next.key, { includeMissing: next.required, onlyKey: true })) {
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
    async rewriteAttribute(key: string, definitions: Definitions, lease?: Lease): Promise<void> {
      const rule = definitions.byKey.get(key);
      let batch: AnyBulkWriteOperation[] = [];
      for await (const document of repository.holdersOf(key)) {
        const attributes = attributesOf(document);
        const value = rule ? convert(document[key], rule) : undefined;
        if (value === undefined) delete attributes[key];
        else attributes[key] = value;
        const update: UpdateFilter<Document> =
          value === undefined ? { $unset: { [key]: '' } } : { $set: { [key]: value } };
        batch.push({
          updateOne: {
            filter: { _id: document._id },
            update: {
              ...update,
              $set: {
                ...update.$set,
                ...searchFieldsOf(attributes, definitions, document._id, absorbedPhonesOf(document)),
              },
            },
          },
        });
        if (batch.length === 500) batch = await flush(batch, lease);
      }
      await flush(batch, lease);
    },

    /**
     * Brings the claims of an attribute in line with the stored contacts after its rule changed at `changedAt`.
     * Claims are added and dropped, never wiped first: a contact written since under the new rule keeps its claim.
     */
    async rebuildUniqueClaims(key: string, definitions: Definitions, changedAt: Date, lease?: Lease): Promise<void> {
      const rule = definitions.byKey.get(key);
      if (!rule?.unique) return claims.releaseAllOfAttribute(key);
      const entries = [];
      for await (const document of repository.holdersOf(key, { onlyKey: true })) {
        entries.push({
          key,
          contactId: String(document._id),
          token: uniqueTokenOf(key, rule.type, document[key] as AttributeValue),
        });
      }
      lease?.assertHeld();
      await claims.insertMissing(entries);
      await claims.releaseStale(key, new Set(entries.map((entry) => entry.token)), changedAt);
    },

    countContacts: () => repository.count(),
  };

  /** Writes a batch, if the caller still holds the definitions' lock: a migration never races another. */
  async function flush(batch: AnyBulkWriteOperation[], lease?: Lease) {
    lease?.assertHeld();
    await repository.updateEach(batch);
    return [];
  }
}
