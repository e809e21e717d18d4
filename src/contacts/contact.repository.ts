import { Readable } from 'node:stream';
import type { AnyBulkWriteOperation } from 'mongodb';
import { Types, type Connection } from 'mongoose';
import { allOf, type Equality, type Filter } from '../db/all-of';
import { bulkWriteInChunks } from '../db/bulk-write';
import { scanFerretDbCollection } from '../db/ferretdb-table-scan';
import { createFerretDbTableFinder } from '../db/ferretdb-table-find';
import { duplicateIndexesOf } from '../db/duplicate-key';
import { mapConcurrently } from '../db/map-concurrently';
import type { ContactDocument, ContactModel } from './contact.model';
import { searchFieldNames, withoutSearchFields } from './search-fields';
import {
  groupsFromAggregation,
  groupsFromFerretDbTable,
  type DuplicateGroup,
  type GroupCursor,
} from './duplicate-groups';

/** Search reads the name fields too: checks run on `_nameTokens`, results are ordered by `_sortName`. */
const isNameField = (field: string) => field === '_nameTokens' || field === '_sortName';
const withNameFields = Object.fromEntries(Object.entries(withoutSearchFields).filter(([field]) => !isNameField(field)));
const searchFieldsButNames = searchFieldNames.filter((field) => !isNameField(field));

/**
 * Every query on contacts, through the driver, returning plain documents. Filters are built here, from ids and
 * equalities on validated scalars only (never from a request body), and shaped for the engine: equalities go
 * through allOf, so that FerretDB hands them down to its indexes.
 */
export function createContactRepository(model: ContactModel, connection: Connection, ferretDbPostgresUrl?: string) {
  const contacts = model.collection;
  const byId = (id: string | Types.ObjectId) => ({ _id: new Types.ObjectId(id) });
  const tableFinder = ferretDbPostgresUrl && createFerretDbTableFinder(ferretDbPostgresUrl, connection.name);

  return {
    findById: (id: string | Types.ObjectId) => contacts.findOne<ContactDocument>(byId(id)),

    /** The contact as clients see it: attributes, id and timestamps, no search field. */
    findAttributesById: (id: string) =>
      contacts.findOne<ContactDocument>(byId(id), { projection: withoutSearchFields }),

    async phonesOf(id: string): Promise<string[] | undefined> {
      const found = await contacts.findOne<Pick<ContactDocument, '_phones'>>(byId(id), { projection: { _phones: 1 } });
      return found ? (found._phones ?? []) : undefined;
    },

    /** One attribute of one contact, or undefined. */
    async valueOf(id: string, key: string): Promise<unknown> {
      const found = await contacts.findOne<ContactDocument>(byId(id), { projection: { [key]: 1 } });
      return found?.[key];
    },

    insert: async (document: ContactDocument) => void (await contacts.insertOne(document)),
    /** Inserts every document; resolves to the ids that already existed (a batch written again after a crash). */
    async insertMany(documents: ContactDocument[]): Promise<Set<string>> {
      if (!documents.length) return new Set();
      try {
        await contacts.insertMany(documents, { ordered: false });
        return new Set();
      } catch (error) {
        return new Set(duplicateIndexesOf(error).map((index) => String(documents[index]._id)));
      }
    },

    /** The stored contacts of these ids, by id (missing ones left out). */
    async findEachById(ids: (string | Types.ObjectId)[]): Promise<Map<string, ContactDocument>> {
      const found = tableFinder
        ? ((await tableFinder.findByIds(contacts.collectionName, ids.map(String))) as ContactDocument[])
        : await mapConcurrently(ids, (id) => contacts.findOne<ContactDocument>(byId(id)));
      return new Map(found.flatMap((document) => (document ? [[String(document._id), document] as const] : [])));
    },

    replace: async (document: ContactDocument) => void (await contacts.replaceOne({ _id: document._id }, document)),
    deleteById: async (id: Types.ObjectId) => void (await contacts.deleteOne({ _id: id })),

    /** Newest first; keyset paging on _id, so a deleted last id still works. On FerretDB read from its table. */
    async listNewestFirst(limit: number, beforeId?: string): Promise<ContactDocument[]> {
      if (tableFinder) {
        const page = { limit, beforeId, omit: searchFieldNames };
        return (await tableFinder.newestFirst(contacts.collectionName, page)) as ContactDocument[];
      }
      return contacts
        .find<ContactDocument>(beforeId ? { _id: { $lt: new Types.ObjectId(beforeId) } } : {}, {
          sort: { _id: -1 },
          limit,
          projection: withoutSearchFields,
        })
        .toArray();
    },

    /**
     * Up to `limit` contacts matching every equality, with the name fields search ranks by. No sort: FerretDB
     * would read and sort every match; the caller orders the few it asked for. On FerretDB read from its table:
     * FerretDB decodes each match, about a millisecond a contact (a search of 200 took 200 ms).
     */
    async findWhereAll(equalities: Equality[], limit: number): Promise<ContactDocument[]> {
      if (tableFinder) {
        const options = { limit, omit: searchFieldsButNames };
        return (await tableFinder.findWhereAllOmitting(
          contacts.collectionName,
          equalities,
          options,
        )) as ContactDocument[];
      }
      return contacts.find<ContactDocument>(allOf(equalities), { limit, projection: withNameFields }).toArray();
    },

    /**
     * Up to `limit` contacts matching every equality, with only the `keep` fields: candidates read by the hundred
     * (duplicates). On FerretDB read from its table, where the equalities are index scans and no contact is decoded
     * by FerretDB (about 1 ms each).
     */
    async findFieldsWhereAll(equalities: Equality[], limit: number, keep: string[]): Promise<ContactDocument[]> {
      if (!tableFinder) {
        const projection = Object.fromEntries(keep.map((field) => [field, 1]));
        return contacts.find<ContactDocument>(allOf(equalities), { limit, projection }).toArray();
      }
      return (await tableFinder.findWhereAll(contacts.collectionName, equalities, {
        limit,
        keep,
      })) as ContactDocument[];
    },

    /** Every contact holding the attribute (or every contact), with only that attribute when `onlyKey`. */
    holdersOf(key: string, options: { includeMissing?: boolean; onlyKey?: boolean } = {}) {
      const filter: Filter = options.includeMissing ? {} : { [key]: { $exists: true } };
      return contacts.find<ContactDocument>(filter, options.onlyKey ? { projection: { [key]: 1 } } : {});
    },

    /**
     * The contacts as clients see them, changed at or after `since` if given, as a stream (for export). On FerretDB
     * with its PostgreSQL at hand, read from its table: through FerretDB an export runs at ~1,000 contacts a second.
     */
    streamAttributes(since?: Date): Readable {
      if (ferretDbPostgresUrl) {
        const options = { omit: searchFieldNames, since: since && { field: 'updatedAt', at: since } };
        return Readable.from(
          scanFerretDbCollection(ferretDbPostgresUrl, connection.name, contacts.collectionName, options),
        );
      }
      const filter = since ? { updatedAt: { $gte: since } } : {};
      return contacts.find<ContactDocument>(filter, { projection: withoutSearchFields, batchSize: 500 }).stream();
    },

    /** A page of the groups of contacts sharing a phone, an email, a unique value or a full name, by kind and key. */
    duplicateGroups(
      keys: { email: string[]; unique: string[] },
      page: { after?: GroupCursor; limit: number },
    ): Promise<DuplicateGroup[]> {
      return ferretDbPostgresUrl
        ? groupsFromFerretDbTable(ferretDbPostgresUrl, connection.name, keys, page)
        : groupsFromAggregation(contacts, keys, page);
    },

    /** Every contact, in batches of `batchSize`: the background re-derivation of search fields. */
    scanAll: (batchSize: number) => contacts.find<ContactDocument>({}, { batchSize }),

    /** Replaces each document, a few at a time (measured: 1.8× the rate of FerretDB-safe bulk writes of 10). */
    replaceEach: (documents: ContactDocument[]) =>
      mapConcurrently(documents, (document) => contacts.replaceOne({ _id: document._id }, document)),

    /** Applies updates in small bulk writes (FerretDB deadlocks on large ones); resolves to how many matched. */
    updateEach: (updates: AnyBulkWriteOperation[]) => bulkWriteInChunks(contacts, updates),

    count: () => contacts.countDocuments(),

    /** The collection's size without reading it: MongoDB's metadata, PostgreSQL's estimate under FerretDB. */
    async estimatedCount(engine: 'mongodb' | 'ferretdb'): Promise<number> {
      if (engine === 'mongodb') return contacts.estimatedDocumentCount();
      const stats = await connection.db!.command({ collStats: contacts.collectionName });
      return Number(stats.count ?? 0);
    },
  };
}

export type ContactRepository = ReturnType<typeof createContactRepository>;
