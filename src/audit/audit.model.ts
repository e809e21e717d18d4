import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const auditActions = ['create', 'update', 'delete', 'erase', 'import', 'merge'] as const;
export const auditedResources = [
  'contacts',
  'attribute_definitions',
  'call_variable_mappings',
  'interaction_trees',
  'webhooks',
] as const;

export interface AuditEntry {
  _id: Types.ObjectId;
  at: Date;
  keyId: string;
  role: string;
  requestId: string;
  action: (typeof auditActions)[number];
  /** The collection changed. */
  resource: (typeof auditedResources)[number];
  entityId: string;
  /** The contact concerned, for filtering: the entity itself or the contact whose calls were erased. */
  contactId?: string;
  /** Attribute keys or fields changed; never their values (they are personal data). */
  changed: string[];
  /** For erasures: how many records were removed. */
  count?: number;
  /** For merges: the contacts merged into the entity, and the attribute keys the entity took from each. */
  mergedIds?: string[];
  keysTaken?: { contactId: string; keys: string[] }[];
}

const auditSchema = new Schema<AuditEntry>(
  {
    at: { type: Date, required: true },
    keyId: String,
    role: String,
    requestId: String,
    action: { type: String, enum: auditActions },
    resource: { type: String, enum: auditedResources },
    entityId: String,
    contactId: String,
    changed: [String],
    count: Number,
    mergedIds: { type: [String], default: undefined },
    keysTaken: { type: [{ _id: false, contactId: String, keys: [String] }], default: undefined },
  },
  { collection: 'audit_entries', versionKey: false },
);
auditSchema.index({ contactId: 1, _id: -1 });

export type AuditModel = Model<AuditEntry>;

export function auditModel(connection: Connection): AuditModel {
  return (
    (connection.models.AuditEntry as AuditModel | undefined) ?? connection.model<AuditEntry>('AuditEntry', auditSchema)
  );
}
