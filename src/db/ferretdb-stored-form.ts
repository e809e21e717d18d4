import { ObjectId } from 'mongodb';

/**
 * FerretDB v1's stored form of a document on PostgreSQL (its `sjson`): the values as JSON beside a schema `$s`
 * giving each field's BSON type (`p`) and the fields' order (`$k`). Read here only where FerretDB itself is the
 * bottleneck (a full export); pinned to the FerretDB version CIM builds (v1.24.2).
 */
export interface Elem {
  t: string;
  $s?: Schema;
  i?: Elem[];
}

interface Schema {
  p: Record<string, Elem | undefined>;
  $k: string[];
}

export type StoredDocument = Record<string, unknown> & { $s: Schema };

function valueOf(value: unknown, elem: Elem): unknown {
  switch (elem.t) {
    case 'string':
    case 'bool':
    case 'double':
    case 'int':
    case 'long':
      return value;
    case 'null':
      return null;
    case 'date':
      return new Date(value as number);
    case 'objectId':
      return new ObjectId(value as string);
    case 'array':
      return (value as unknown[]).map((item, index) => valueOf(item, elem.i![index]));
    case 'object':
      return fieldsOf(value as Record<string, unknown>, elem.$s!);
    default:
      throw new Error(`FerretDB's stored type ${elem.t} is not one CIM writes`);
  }
}

function fieldsOf(stored: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const key of schema.$k) {
    const elem = schema.p[key];
    // Fields left out of the read (search fields) are gone from the values and the types, not from `$k`.
    if (elem && key in stored) document[key] = valueOf(stored[key], elem);
  }
  return document;
}

/** The document as the MongoDB driver would give it: ObjectIds, Dates, numbers, in the stored field order. */
export function fromStoredForm(stored: StoredDocument): Record<string, unknown> {
  return fieldsOf(stored, stored.$s);
}

/** A document of the fields picked from a stored one: each key's stored value and type (null where it is absent). */
export function fromPickedFields(
  keys: readonly string[],
  values: readonly unknown[],
  types: readonly (Elem | null)[],
): Record<string, unknown> {
  const stored = Object.fromEntries(keys.map((key, index) => [key, values[index]]));
  const p = Object.fromEntries(keys.flatMap((key, index) => (types[index] ? [[key, types[index]]] : [])));
  return fieldsOf(stored, { p, $k: [...keys] });
}
