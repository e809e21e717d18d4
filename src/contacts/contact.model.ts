import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { SearchFields } from './search-fields';

/** A stored contact: the attributes at top level (keys never start with `_`), then the internal search fields. */
export interface ContactDocument extends SearchFields {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  [attribute: string]: unknown;
}

const contactSchema = new Schema(
  {
    _kv: { type: [String], index: true },
    _phones: { type: [String], index: true },
    _nameTokens: { type: [String], index: true },
    _fullNames: { type: [String], index: true },
    _sortName: { type: String },
  },
  { collection: 'contacts', strict: false, timestamps: true, versionKey: false },
);
contactSchema.index({ _sortName: 1, _id: 1 });

export type ContactModel = Model<ContactDocument>;

export function contactModel(connection: Connection): ContactModel {
  return (
    (connection.models.Contact as Model<ContactDocument> | undefined) ??
    connection.model<ContactDocument>('Contact', contactSchema)
  );
}
