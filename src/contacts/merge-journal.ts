import type { Connection, Types } from 'mongoose';
import type { RequestContext } from '../http/request-context';
import type { MergedFrom } from './contact.model';
import type { ContactAttributes } from './search-fields';
import type { UniqueEntry } from './unique-claims';

/**
 * A merge, written before any contact changes. Once it is stored the merge is decided: whoever completes it (the
 * request, or any instance after a crash) repeats the same idempotent steps from it. Kept once done, without the
 * survivor's values, as the record of the merge (what the events issue will publish as `contact.merged`).
 */
export interface MergeRecord {
  _id: Types.ObjectId;
  state: 'pending' | 'done';
  survivorId: string;
  mergedIds: string[];
  keysTaken: { contactId: string; keys: string[] }[];
  /** The survivor as the merge writes it (its search fields derived when written); dropped once done (personal data). */
  survivor?: PlannedSurvivor;
  /** Unique values of merged contacts that move to the survivor. */
  claimMoves: { token: string; from: string }[];
  /** Unique values of the survivor's that lost to a merged contact's. */
  releasedClaims: UniqueEntry[];
  context: RequestContext;
  createdAt: Date;
  completedAt?: Date;
}

export interface PlannedSurvivor {
  attributes: ContactAttributes;
  mergedFrom: MergedFrom[];
  createdAt: Date;
  updatedAt: Date;
}

const mergesCollection = 'contact_merges';
/** A survivor merged in turn is followed this far (a chain of merges, each of up to 24 contacts). */
const maxChain = 50;

export async function createMergeJournal(connection: Connection) {
  const merges = connection.collection<MergeRecord>(mergesCollection);
  // One index a command: FerretDB v1 fails a createIndexes of several indexes that all exist already.
  await merges.createIndex({ state: 1 });
  await merges.createIndex({ mergedIds: 1 });

  return {
    begin: async (record: MergeRecord) => void (await merges.insertOne(record)),

    async complete(id: Types.ObjectId): Promise<void> {
      await merges.updateOne(
        { _id: id },
        { $set: { state: 'done', completedAt: new Date() }, $unset: { survivor: '' } },
      );
    },

    find: (id: Types.ObjectId) => merges.findOne({ _id: id }),

    /** Merges decided but not completed: a few at most, only after a crash (an indexed equality). */
    pending: () => merges.find({ state: 'pending' }).toArray(),

    /**
     * The contact this one lives on in, if it was merged (pending or done: a pending merge gets completed): the end
     * of the chain when its survivor was merged in turn.
     */
    survivorOf: async (mergedId: string): Promise<string | undefined> => {
      let survivorId: string | undefined;
      for (let id = mergedId, hops = 0; hops < maxChain; hops++) {
        const record = await merges.findOne({ mergedIds: id }, { projection: { survivorId: 1 } });
        if (!record) break;
        survivorId = id = record.survivorId;
      }
      return survivorId;
    },
  };
}

export type MergeJournal = Awaited<ReturnType<typeof createMergeJournal>>;
