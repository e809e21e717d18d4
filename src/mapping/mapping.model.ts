import { Schema, type Connection, type Model } from 'mongoose';
import type { MappingInput } from './mapping.schemas';

const mappingSchema = new Schema<MappingInput>(
  {
    callVariable: { type: String, required: true },
    varNumber: { type: String },
    callVar: { type: String },
    key: { type: String, required: true, index: true },
  },
  { collection: 'call_variable_mappings', versionKey: false },
);
mappingSchema.index({ callVariable: 1, key: 1 }, { unique: true });

export type MappingModel = Model<MappingInput>;

export function mappingModel(connection: Connection): MappingModel {
  return (
    (connection.models.Mapping as MappingModel | undefined) ?? connection.model<MappingInput>('Mapping', mappingSchema)
  );
}
