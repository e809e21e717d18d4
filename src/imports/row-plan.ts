import { Types } from 'mongoose';
import { AppError, type FieldError } from '../http/app-error';
import type { Definitions } from '../attributes/definitions';
import { uniqueTokenOf } from '../attributes/attribute-types';
import { checkCompleteContact, parseContactPatch, type ContactPatch } from '../contacts/contact-validation';
import { uniqueEntriesOf } from '../contacts/contact.service';
import type { UniqueEntry } from '../contacts/unique-claims';
import { readOnlyColumns } from './import-checks';
import type { ImportOptions } from './import-job';
import type { ImportRow } from './import-rows';

/** A row checked on its own: the patch it makes, its unique values, the id it names, or why it is rejected. */
export type RowPlan =
  | { row: number; input: Record<string, unknown>; errors: FieldError[] }
  | {
      row: number;
      input: Record<string, unknown>;
      patch: ContactPatch;
      unique: UniqueEntry[];
      /** The `_id` the row names, when it does. */
      givenId?: Types.ObjectId;
      /** The token of the matchOn value (upsert by a unique attribute). */
      matchToken?: string;
      errors?: undefined;
    };

export function errorsOf(error: unknown): FieldError[] {
  if (!(error instanceof AppError)) throw error;
  return error.errors?.length ? error.errors : [{ path: '', message: error.message }];
}

function hasNul(input: Record<string, unknown>): boolean {
  return Object.values(input).some((value) => typeof value === 'string' && value.includes('\0'));
}

/** Validates a row as POST /saveContact (create) or PUT (upsert; then an empty CSV cell leaves the value alone). */
export function planRow(
  { row, input, problem }: ImportRow,
  options: ImportOptions,
  definitions: Definitions,
  phoneRegion: string,
): RowPlan {
  if (problem) return { row, input, errors: [{ path: '', message: `row ${row} ${problem}` }] };
  if (hasNul(input)) return { row, input, errors: [{ path: '', message: 'holds a null character' }] };
  const rawId = input._id;
  const attributes = Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) =>
        !readOnlyColumns.includes(key) && !(options.format === 'csv' && options.mode === 'upsert' && value === ''),
    ),
  );
  try {
    const givenId = idOf(rawId);
    const patch = parseContactPatch(attributes, definitions, phoneRegion);
    if (options.mode === 'create') checkCompleteContact(patch.set, definitions);
    const unique = uniqueEntriesOf(patch.set, definitions);
    return { row, input, patch, unique, givenId, matchToken: matchTokenOf(patch, options, definitions) };
  } catch (error) {
    return { row, input, errors: errorsOf(error) };
  }
}

function idOf(raw: unknown): Types.ObjectId | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[0-9a-fA-F]{24}$/.test(raw)) {
    throw new AppError('validation-failed', '_id is not valid', {
      status: 400,
      errors: [{ path: '_id', message: 'must be a contact id: 24 hexadecimal characters' }],
    });
  }
  return new Types.ObjectId(raw);
}

function matchTokenOf(patch: ContactPatch, options: ImportOptions, definitions: Definitions): string | undefined {
  const key = options.matchOn;
  if (options.mode !== 'upsert' || !key || key === '_id') return undefined;
  const value = patch.set[key];
  if (value === undefined) {
    throw new AppError('validation-failed', 'no match value', {
      status: 400,
      errors: [{ path: key, message: 'is the matchOn attribute and needs a value' }],
    });
  }
  return uniqueTokenOf(key, definitions.byKey.get(key)!.type, value);
}
