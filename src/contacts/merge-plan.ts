import { isDeepStrictEqual } from 'node:util';
import type { AttributeValue } from '../attributes/attribute-types';
import type { Definitions } from '../attributes/definitions';
import { validationError, type FieldError } from '../http/app-error';
import type { ContactDocument, MergedFrom } from './contact.model';
import { attributesOf } from './contact-response';
import type { ContactAttributes } from './search-fields';

interface MergeConflict {
  key: string;
  values: { contactId: string; value: AttributeValue }[];
  chosenFrom: string;
}

/** What a merge makes of the survivor, before anything is written. */
export interface MergePlan {
  attributes: ContactAttributes;
  conflicts: MergeConflict[];
  /** Per merged contact, the attribute keys whose value the survivor takes from it (audit: keys, never values). */
  keysTaken: { contactId: string; keys: string[] }[];
  mergedFrom: MergedFrom[];
}

const idOf = (document: ContactDocument) => String(document._id);

/** fieldSources must name defined attributes and contacts of the merge that hold a value for them. */
function checkFieldSources(
  fieldSources: Record<string, string>,
  contacts: ContactDocument[],
  definitions: Definitions,
): void {
  const errors: FieldError[] = [];
  for (const [key, contactId] of Object.entries(fieldSources)) {
    const path = `fieldSources.${key}`;
    const source = contacts.find((document) => idOf(document) === contactId);
    if (!definitions.byKey.has(key)) errors.push({ path, message: 'is not a defined attribute' });
    else if (!source) errors.push({ path, message: 'must be survivorId or one of mergedIds' });
    else if (!Object.hasOwn(attributesOf(source), key)) errors.push({ path, message: `${contactId} has no ${key}` });
  }
  if (errors.length) throw validationError(errors, 'fieldSources names what the merge cannot take.');
}

/** Where the survivor's value of one attribute comes from: fieldSources, else the survivor, else the first merged. */
function chooseSource(holders: { contactId: string }[], chosen: string | undefined): string {
  return chosen ?? holders[0].contactId;
}

/** Every merged contact's entry, then the entries of the contacts merged into it earlier. */
function mergedFromOf(survivor: ContactDocument, merged: ContactDocument[]): MergedFrom[] {
  const entries = [...(survivor._mergedFrom ?? [])];
  for (const document of merged) {
    entries.push({ id: idOf(document), phones: [...(document._phones ?? [])] }, ...(document._mergedFrom ?? []));
  }
  return entries;
}

/**
 * The survivor after the merge: attributes it lacks filled from the merged contacts in order; where values differ,
 * the survivor's (or the first holder's) unless fieldSources names another contact. Pure: reads nothing.
 */
export function planMerge(
  survivor: ContactDocument,
  merged: ContactDocument[],
  fieldSources: Record<string, string>,
  definitions: Definitions,
): MergePlan {
  const contacts = [survivor, ...merged];
  checkFieldSources(fieldSources, contacts, definitions);
  const attributes: ContactAttributes = {};
  const conflicts: MergeConflict[] = [];
  const taken = new Map(merged.map((document) => [idOf(document), [] as string[]]));
  for (const { key } of definitions.list) {
    const holders = contacts.flatMap((document) => {
      const value = attributesOf(document)[key];
      return value === undefined ? [] : [{ contactId: idOf(document), value }];
    });
    if (!holders.length) continue;
    const chosenFrom = chooseSource(holders, fieldSources[key]);
    attributes[key] = holders.find((holder) => holder.contactId === chosenFrom)!.value;
    taken.get(chosenFrom)?.push(key);
    if (holders.some((holder) => !isDeepStrictEqual(holder.value, holders[0].value))) {
      conflicts.push({ key, values: holders, chosenFrom });
    }
  }
  return {
    attributes,
    conflicts,
    keysTaken: [...taken].map(([contactId, keys]) => ({ contactId, keys })),
    mergedFrom: mergedFromOf(survivor, merged),
  };
}
