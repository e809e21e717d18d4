import { Schema, type Connection, type Model } from 'mongoose';
import { attributeTypes, type AttributeType } from './attribute-types';

export interface AttributeDefinition {
  _id: string;
  key: string;
  label: string;
  type: AttributeType;
  required: boolean;
  unique: boolean;
  options?: string[];
  system: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredAttributeDefinition extends Omit<AttributeDefinition, '_id'> {
  keyLower: string;
}

const attributeSchema = new Schema<StoredAttributeDefinition>(
  {
    key: { type: String, required: true },
    keyLower: { type: String, required: true, unique: true },
    label: { type: String, required: true },
    type: { type: String, required: true, enum: attributeTypes },
    required: { type: Boolean, default: false },
    unique: { type: Boolean, default: false },
    options: { type: [String], default: undefined },
    system: { type: Boolean, default: false },
  },
  { collection: 'attribute_definitions', timestamps: true, versionKey: false },
);

export type AttributeModel = Model<StoredAttributeDefinition>;

export function attributeModel(connection: Connection): AttributeModel {
  return (
    (connection.models.AttributeDefinition as Model<StoredAttributeDefinition> | undefined) ??
    connection.model<StoredAttributeDefinition>('AttributeDefinition', attributeSchema)
  );
}
