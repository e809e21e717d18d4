import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { SearchFields } from './search-fields';

/** A contact merged into this one: its id and every phone number it had, kept for screen pop and call history. */
export interface MergedFrom {
  id: string;
  phones: string[];
}

/** A stored contact: the attributes at top level (keys never start with `_`), then the internal search fields. */
export interface ContactDocument extends SearchFields {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  /** Set once the contact absorbed others (POST /contacts/merge); answered as `mergedFrom`. */
  _mergedFrom?: MergedFrom[];
  [attribute: string]: unknown;
}

/** The lock every writer of one contact holds (PUT, DELETE, merge, import rows, the search-field rewrite). */
export const contactLockKey = (id: string) => `contact:${id}`;

/** The numbers of every contact merged into this one. */
export function absorbedPhonesOf(document: Pick<ContactDocument, '_mergedFrom'>): string[] {
  return (document._mergedFrom ?? []).flatMap((entry) => entry.phones);
}

const contactSchema = new Schema(
  {
    // Every field a search filters on by equality; under FerretDB each also gets its GIN index from these.
    _kv: { type: [String], index: true },
    _phones: { type: [String], index: true },
    _fullNames: { type: [String], index: true },
    _names: { type: [String], index: true },
    _names2: { type: [String], index: true },
    _prefixes: { type: [String], index: true },
    _phonePrefixes: { type: [String], index: true },
    _sample: { type: [String], index: true },
    _sv: { type: Number, index: true },
    _nameTokens: { type: [String] },
    _sortName: { type: String },
  },
  { collection: 'contacts', strict: false, timestamps: true, versionKey: false },
);

export type ContactModel = Model<ContactDocument>;

export function contactModel(connection: Connection): ContactModel {
  return (
    (connection.models.Contact as Model<ContactDocument> | undefined) ??
    connection.model<ContactDocument>('Contact', contactSchema)
  );
}
