import { mongo, trusted } from 'mongoose';
import { isDuplicateKeyError } from '../db/duplicate-key';
import type { StoredLeg, TreeDocument, TreeModel } from './interaction.model';

export type LegFields = Omit<StoredLeg, 'addedAt'>;

/** What the first post of a call stores besides its leg. */
export type NewTree = Pick<TreeDocument, 'phone_number' | 'phoneKey'>;

export interface HistoryCursor {
  startedAt: Date;
  callId: string;
}

/**
 * Data access for call trees. Writes of one tree run under the call's lock (see the service), so they
 * filter by _id alone; each resolves only once the database has acknowledged it. Posts and history are the
 * CTI's and the agent's hottest paths, so they go straight to the driver: the service builds every value.
 */
export function createTreeRepository(model: TreeModel) {
  const trees = model.collection as unknown as mongo.Collection<TreeDocument>;
  return {
    /**
     * Sets the leg's fields in one write, adding the leg when the tree lacks it; with `newTree` (the first post
     * of a call) the tree is created too. Answers the tree as it was before (null: there was none), from which
     * the caller tells a merge from an addition and counts the legs.
     */
    async upsertLeg(callId: string, legKey: string, fields: LegFields, addedAt: Date, newTree?: NewTree) {
      const set = Object.fromEntries(Object.entries(fields).map(([name, value]) => [`legs.${legKey}.${name}`, value]));
      const update = {
        $set: set,
        // $min keeps the first addition's time on a merge, and the call's earliest start.
        $min: { [`legs.${legKey}.addedAt`]: addedAt, startedAt: fields.start_time },
        ...(newTree ? { $setOnInsert: newTree } : {}),
      };
      return trees.findOneAndUpdate({ _id: callId }, update, {
        upsert: newTree !== undefined,
        returnDocument: 'before',
      });
    },

    /** Creates the call's tree with its first leg in one insert; false when the tree exists already. */
    async insertTree(callId: string, tree: NewTree, legKey: string, fields: LegFields, addedAt: Date) {
      try {
        const legs = { [legKey]: { ...fields, addedAt } };
        await trees.insertOne({ _id: callId, ...tree, startedAt: fields.start_time, legs });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    /** Takes back a leg the limit refuses, with the start it may have moved. */
    async withdrawLeg(callId: string, legKey: string, startedAt: Date): Promise<void> {
      await trees.updateOne({ _id: callId }, { $unset: { [`legs.${legKey}`]: '' }, $set: { startedAt } });
    },

    async findTree(callId: string): Promise<TreeDocument | null> {
      return trees.findOne<TreeDocument>({ _id: callId });
    },

    async findCursor(callId: string): Promise<HistoryCursor | undefined> {
      const tree = await trees.findOne<Pick<TreeDocument, 'startedAt'>>(
        { _id: callId },
        { projection: { startedAt: 1 } },
      );
      return tree ? { startedAt: tree.startedAt, callId } : undefined;
    },

    /**
     * Trees of these numbers, newest first, after the cursor when one is given (keyset paging). One query per
     * number, merged here: FerretDB v1 hands `phoneKey: value` down to its backend but filters a `$in` itself,
     * after reading every tree; on MongoDB each query is one range of the history index.
     */
    async findTreesByPhones(phones: string[], limit: number, after?: HistoryCursor): Promise<TreeDocument[]> {
      // The startedAt bound lets the history index bound the scan; the $or only settles ties.
      const paging = after
        ? {
            startedAt: { $lte: after.startedAt },
            $or: [{ startedAt: { $lt: after.startedAt } }, { _id: { $lt: after.callId } }],
          }
        : {};
      const pages = await Promise.all(
        phones.map((phoneKey) =>
          trees.find<TreeDocument>({ phoneKey, ...paging }, { sort: { startedAt: -1, _id: -1 }, limit }).toArray(),
        ),
      );
      return pages.length === 1 ? pages[0] : pages.flat().sort(newestFirst).slice(0, limit);
    },

    async deleteTreesByPhones(phones: string[]): Promise<number> {
      const result = await model.deleteMany({ phoneKey: trusted({ $in: phones }) });
      return result.deletedCount;
    },
  };
}

export type TreeRepository = ReturnType<typeof createTreeRepository>;

function newestFirst(a: TreeDocument, b: TreeDocument): number {
  return b.startedAt.getTime() - a.startedAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
}
