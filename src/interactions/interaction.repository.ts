import { isDuplicateKeyError } from '../db/duplicate-key';
import { mongo, trusted } from 'mongoose';
import type { StoredLeg, TreeDocument, TreeModel } from './interaction.model';

export type LegFields = Omit<StoredLeg, 'addedAt'>;

export interface LegState {
  legCount: number;
  leg?: StoredLeg;
}

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
    /** The tree's leg count and the leg with this key, read by _id alone (the only filter FerretDB v1 serves without a scan). */
    async findLegState(callId: string, legKey: string): Promise<LegState | undefined> {
      const tree = await trees.findOne<Pick<TreeDocument, 'legCount' | 'legs'>>(
        { _id: callId },
        { projection: { legCount: 1, [`legs.${legKey}`]: 1 } },
      );
      return tree ? { legCount: tree.legCount, leg: tree.legs?.[legKey] } : undefined;
    },

    /** Sets the given fields of an existing leg; false when the tree is gone. */
    async mergeIntoLeg(callId: string, legKey: string, fields: LegFields): Promise<boolean> {
      const set = Object.fromEntries(Object.entries(fields).map(([name, value]) => [`legs.${legKey}.${name}`, value]));
      const result = await trees.updateOne({ _id: callId }, { $set: set });
      return result.matchedCount === 1;
    },

    /** Adds a leg to an existing tree; false when the tree is gone. */
    async addLeg(callId: string, legKey: string, leg: StoredLeg): Promise<boolean> {
      const result = await trees.updateOne(
        { _id: callId },
        { $set: { [`legs.${legKey}`]: leg }, $inc: { legCount: 1 }, $min: { startedAt: leg.start_time } },
      );
      return result.matchedCount === 1;
    },

    /** Creates the tree with its first leg; false when it exists already. */
    async insertTree(tree: TreeDocument): Promise<boolean> {
      try {
        await trees.insertOne(tree);
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
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
