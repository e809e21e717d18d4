import { Schema, type Connection, type Model } from 'mongoose';
import { legTextShape, type LegTextField } from './leg-fields';

/** A stored leg; `addedAt` orders legs that started at the same instant. */
export type StoredLeg = { type: string; start_time: Date; addedAt: Date } & Partial<Record<LegTextField, string>>;

/**
 * One call's tree. Legs live in an object keyed by a hash of their identity (not an array) so that a
 * leg is created or merged with dotted `$set` paths, which every engine supports without `$`.
 */
export interface TreeDocument {
  _id: string;
  phone_number: string;
  /** E.164 form of phone_number, null when the ANI is not a phone number (`anonymous`). */
  phoneKey: string | null;
  /** The earliest leg start: the call's place in a contact's history. */
  startedAt: Date;
  legs: Record<string, StoredLeg>;
}

const legSchema = new Schema<StoredLeg>(
  {
    type: { type: String, required: true },
    start_time: { type: Date, required: true },
    ...legTextShape(() => ({ type: String })),
    addedAt: { type: Date, required: true },
  },
  { _id: false },
);

const treeSchema = new Schema<TreeDocument>(
  {
    _id: { type: String, required: true },
    phone_number: { type: String, required: true },
    phoneKey: { type: String, default: null },
    startedAt: { type: Date, required: true },
    legs: { type: Map, of: legSchema, default: {} },
  },
  { collection: 'interactions', versionKey: false },
);
treeSchema.index({ phoneKey: 1, startedAt: -1, _id: -1 }, { name: 'history' });

export type TreeModel = Model<TreeDocument>;

export function treeModel(connection: Connection): TreeModel {
  return (
    (connection.models.InteractionTree as TreeModel | undefined) ??
    connection.model<TreeDocument>('InteractionTree', treeSchema)
  );
}
