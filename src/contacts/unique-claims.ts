import { duplicateIndexesOf, ignoreDuplicateKeys, isDuplicateKeyError } from '../db/duplicate-key';
import type { Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import { mapConcurrently } from '../db/map-concurrently';

export interface UniqueEntry {
  key: string;
  /** The attribute's search token (`email:ann@example.com`): equal values claim the same token. */
  token: string;
}

interface ClaimDocument {
  _id: string;
  key: string;
  contactId: string;
  createdAt: Date;
}

// A claim whose contact does not hold the value (its writer crashed, or a rebuild raced an update) is taken over after this long.
const orphanAfterMs = 30_000;

/**
 * Unique attribute values, held as one document per value whose _id is the value's token.
 * Inserting a claim is atomic on every engine (duplicate _id), which partial unique indexes
 * would not give us: FerretDB v1 has none, and the attribute set changes at run time.
 */
export async function createUniqueClaims(
  connection: Connection,
  contactHolds: (contactId: string, entry: UniqueEntry) => Promise<boolean>,
) {
  const claims = connection.collection<ClaimDocument>('contact_unique_values');
  // Releases find claims by contact and by attribute. One index a command: FerretDB v1 fails a createIndexes
  // of several indexes that all exist already.
  await claims.createIndex({ contactId: 1 });
  await claims.createIndex({ key: 1 });

  async function claimOne(contactId: string, entry: UniqueEntry): Promise<boolean> {
    for (;;) {
      try {
        await claims.insertOne({ _id: entry.token, key: entry.key, contactId, createdAt: new Date() });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const holder = await claims.findOne({ _id: entry.token });
      if (!holder) continue;
      if (holder.contactId === contactId) return false;
      const orphaned =
        Date.now() - holder.createdAt.getTime() > orphanAfterMs && !(await contactHolds(holder.contactId, entry));
      if (!orphaned) throw valueTaken(entry.key);
      await claims.deleteOne({ _id: entry.token, contactId: holder.contactId });
    }
  }

  return {
    /** Claims every entry for the contact, or none: on a conflict the ones taken here are released. */
    async claim(contactId: string, entries: UniqueEntry[]): Promise<void> {
      const taken: UniqueEntry[] = [];
      try {
        for (const entry of entries) if (await claimOne(contactId, entry)) taken.push(entry);
      } catch (error) {
        await claims.deleteMany({ _id: { $in: taken.map((entry) => entry.token) }, contactId });
        throw error;
      }
    },

    /** The contact holding each token that is claimed. */
    async holdersOf(tokens: string[]): Promise<Map<string, string>> {
      const found = await mapConcurrently(tokens, (token) =>
        claims.findOne({ _id: token }, { projection: { contactId: 1 } }),
      );
      return new Map(found.flatMap((claim) => (claim ? [[claim._id, claim.contactId] as const] : [])));
    },

    /**
     * Claims many contacts' entries in one write; the contacts for which one entry was taken by another contact get
     * none (the ones taken here are released) and are answered with the error.
     */
    async claimMany(wanted: { contactId: string; entries: UniqueEntry[] }[]): Promise<Map<string, unknown>> {
      const createdAt = new Date();
      const flat = wanted.flatMap(({ contactId, entries }) => entries.map((entry) => ({ contactId, entry })));
      const documents = flat.map(({ contactId, entry }) => ({
        _id: entry.token,
        key: entry.key,
        contactId,
        createdAt,
      }));
      const failed = documents.length
        ? await claims.insertMany(documents, { ordered: false }).then(
            () => [],
            (error: unknown) => duplicateIndexesOf(error),
          )
        : [];
      const refused = new Map<string, unknown>();
      for (const index of failed) {
        const { contactId, entry } = flat[index];
        if (refused.has(contactId)) continue;
        await claimOne(contactId, entry).catch((error: unknown) => refused.set(contactId, error));
      }
      for (const contactId of refused.keys()) {
        const tokens = flat.filter((item) => item.contactId === contactId).map((item) => item.entry.token);
        await claims.deleteMany({ _id: { $in: tokens }, contactId });
      }
      return refused;
    },

    async release(contactId: string, entries: UniqueEntry[]): Promise<void> {
      if (entries.length) await claims.deleteMany({ _id: { $in: entries.map((entry) => entry.token) }, contactId });
    },

    /** Hands claims of merged contacts to the survivor; a claim handed over before (a repeated step) stays as it is. */
    async handOver(moves: { token: string; from: string }[], to: string): Promise<void> {
      await mapConcurrently(moves, ({ token, from }) =>
        claims.updateOne({ _id: token, contactId: from }, { $set: { contactId: to } }),
      );
    },

    async releaseAllOfContact(contactId: string): Promise<void> {
      await claims.deleteMany({ contactId });
    },

    async releaseAllOfAttribute(key: string): Promise<void> {
      await claims.deleteMany({ key });
    },

    /** Claims stored values that have none yet; a value already claimed (by a write meanwhile) stays claimed. */
    async insertMissing(entries: (UniqueEntry & { contactId: string })[]): Promise<void> {
      const createdAt = new Date();
      for (let start = 0; start < entries.length; start += 500) {
        const batch = entries.slice(start, start + 500);
        const documents = batch.map(({ token, key, contactId }) => ({ _id: token, key, contactId, createdAt }));
        await claims.insertMany(documents, { ordered: false }).catch(ignoreDuplicateKeys);
      }
    },

    /** Releases an attribute's claims made before `before` on tokens that no stored value has. */
    async releaseStale(key: string, stored: ReadonlySet<string>, before: Date): Promise<void> {
      const stale: string[] = [];
      for await (const claim of claims.find({ key, createdAt: { $lt: before } }, { projection: { _id: 1 } })) {
        if (!stored.has(claim._id)) stale.push(claim._id);
      }
      for (let start = 0; start < stale.length; start += 500) {
        await claims.deleteMany({ _id: { $in: stale.slice(start, start + 500) }, key });
      }
    },
  };
}

export type UniqueClaims = Awaited<ReturnType<typeof createUniqueClaims>>;

export function valueTaken(key: string): AppError {
  return new AppError('unique-value-taken', `Another contact already has this ${key}.`, {
    status: 409,
    errors: [{ path: key, message: 'is already used by another contact' }],
  });
}
