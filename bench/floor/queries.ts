import { createHash } from 'node:crypto';
import { ObjectId, type Document, type Sort } from 'mongodb';
import { nameQueryPlan } from '../../src/contacts/name-query';
import { broadSearchSamples, withoutSearchFields } from '../../src/contacts/search-fields';
import { allOf } from '../../src/db/all-of';
import { equalitiesOf, isBroad, type SearchPlan } from '../../src/contacts/search-plan';
import { planSearch } from '../../src/contacts/search-terms';
import type { AttributeDefinition } from '../../src/attributes/attribute.model';
import { definitionsOf, type Definitions } from '../../src/attributes/definitions';
import { foldText } from '../../src/values/text-folding';
import { accountMapping, attributeTypes, customAttributes } from '../dataset/schema';

/** One find: what the floor server sends, and what the bench explains to say which index serves a path. */
export interface FloorFind {
  collection: 'contacts' | 'interactions';
  filter: Document;
  sort?: Sort;
  limit?: number;
  projection?: Document;
}

const newestFirst: Sort = { startedAt: -1, _id: -1 };
const limit = 25;

/** The bench's attribute definitions, as the floor needs them to build the same search tokens. */
const definitions: Definitions = (() => {
  const options = new Map<string, readonly string[]>(
    customAttributes.flatMap((attribute) => ('options' in attribute ? [[attribute.key, attribute.options]] : [])),
  );
  const list = Object.entries(attributeTypes).map(([key, type]) => ({
    key,
    label: key,
    type,
    required: false,
    unique: false,
    system: false,
    ...(options.has(key) ? { options: [...options.get(key)!] } : {}),
  })) as AttributeDefinition[];
  return definitionsOf(list);
})();

/** The cheapest normalisation that reads the bench's numbers: digits, `00` → `+`, ten digits are US. */
export function cheapE164(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (text.trim().startsWith('+')) return `+${digits}`;
  if (text.trim().startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

export function contactById(id: string): FloorFind {
  return { collection: 'contacts', filter: { _id: new ObjectId(id) }, projection: withoutSearchFields };
}

function contactsWhere(filter: Document): FloorFind {
  return { collection: 'contacts', filter, limit, projection: withoutSearchFields };
}

/** One find with the equalities our server hands down first (a broad search: its first sample), nothing else. */
function firstFindOf(plan: SearchPlan): FloorFind {
  const equalities = equalitiesOf(plan.conditions);
  const sample = isBroad(plan.conditions) ? [{ _sample: broadSearchSamples[0] }] : [];
  return contactsWhere(allOf([...equalities, ...sample]));
}

/** Screen pop: the mapped call variable when the call carries it, else the ANI. */
export function lookup(query: URLSearchParams): FloorFind | undefined {
  const account = query.get(accountMapping.callVariable);
  if (account) return contactsWhere({ _kv: `${accountMapping.key}:${foldText(account)}` });
  const phone = cheapE164(query.get('ani') ?? '');
  return phone ? contactsWhere({ _phones: phone }) : undefined;
}

export function byNamePrefix(name: string): FloorFind {
  return firstFindOf(nameQueryPlan(name));
}

export function bySearchTerms(terms: Record<string, string>): FloorFind {
  return firstFindOf(planSearch(terms, definitions, 'US'));
}

export function phonesOfContact(id: string): FloorFind {
  return { collection: 'contacts', filter: { _id: new ObjectId(id) }, projection: { _phones: 1 } };
}

/**
 * A contact's calls: one find with `$in` on MongoDB; on FerretDB, which filters a `$in` itself after reading every
 * tree, one equality find per number (merged by the caller), the least work that engine can do.
 */
export function historiesOf(phones: string[], engine: 'mongodb' | 'ferretdb'): FloorFind[] {
  const find = (phoneKey: unknown): FloorFind => ({
    collection: 'interactions',
    filter: { phoneKey },
    sort: newestFirst,
    limit,
  });
  if (phones.length === 1 || engine === 'ferretdb') return phones.map(find);
  return [find({ $in: phones })];
}

/** What newestFirstOrder reads of a stored call tree. */
export interface StoredTreeOrder {
  _id: string;
  startedAt: Date;
}

export function newestFirstOrder(a: StoredTreeOrder, b: StoredTreeOrder): number {
  return b.startedAt.getTime() - a.startedAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
}

/** Adds or merges a leg in one upsert: the least a leg post can cost. */
export function legUpsert(callId: string, body: { ani?: string; interaction: Record<string, string> }) {
  const leg = { ...body.interaction, start_time: new Date(body.interaction.start_time), addedAt: new Date() };
  const { call_id, type, agentId, start_time } = body.interaction;
  const legKey = `l${createHash('sha1')
    .update(`${call_id}|${type}|${agentId ?? ''}|${start_time}`)
    .digest('hex')}`;
  return {
    filter: { _id: callId },
    update: {
      $set: { [`legs.${legKey}`]: leg },
      $setOnInsert: { phone_number: body.ani, phoneKey: cheapE164(body.ani ?? '') },
      $min: { startedAt: leg.start_time },
    },
    leg: body.interaction,
  };
}
