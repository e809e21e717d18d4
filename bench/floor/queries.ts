import { createHash } from 'node:crypto';
import { ObjectId, type Document, type Sort } from 'mongodb';
import { accountMapping, attributeTypes } from '../dataset/schema';

/** One find: what the floor server sends, and what the bench explains to say which index serves a path. */
export interface FloorFind {
  collection: 'contacts' | 'interactions';
  filter: Document;
  sort?: Sort;
  limit?: number;
  projection?: Document;
}

export const searchProjection = { _kv: 0, _phones: 0, _nameTokens: 0, _fullNames: 0, _sortName: 0 };
const byName: Sort = { _sortName: 1, _id: 1 };
const newestFirst: Sort = { startedAt: -1, _id: -1 };
const limit = 25;

export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The cheapest normalisation that reads the bench's numbers: digits, `00` → `+`, ten digits are US. */
export function cheapE164(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (text.trim().startsWith('+')) return `+${digits}`;
  if (text.trim().startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

/** Conditions ANDed with the first at top level, the shape engines push down best. */
function allOf(conditions: Document[]): Document {
  const [first, ...rest] = conditions;
  return rest.length ? { ...first, $and: rest } : first;
}

export function contactById(id: string): FloorFind {
  return { collection: 'contacts', filter: { _id: new ObjectId(id) }, projection: searchProjection };
}

function contactsWhere(filter: Document): FloorFind {
  return { collection: 'contacts', filter, sort: byName, limit, projection: searchProjection };
}

/** Screen pop: the mapped call variable when the call carries it, else the ANI. */
export function lookup(query: URLSearchParams): FloorFind | undefined {
  const account = query.get(accountMapping.callVariable);
  if (account) return contactsWhere({ _kv: `${accountMapping.key}:${fold(account)}` });
  const phone = cheapE164(query.get('ani') ?? '');
  return phone ? contactsWhere({ _phones: phone }) : undefined;
}

export function byNamePrefix(name: string): FloorFind {
  const words = fold(name)
    .split(/[\s\-.,;/']+/)
    .filter(Boolean);
  return contactsWhere(allOf(words.map((word) => ({ _nameTokens: { $regex: `^${escapeRegex(word)}` } }))));
}

export function bySearchTerms(terms: Record<string, string>): FloorFind {
  const conditions = Object.entries(terms).map(([term, value]) => {
    if (term === 'phone') return { _phones: cheapE164(value) };
    const type = attributeTypes[term];
    if (['string', 'text', 'email', 'url'].includes(type)) {
      return { _kv: { $regex: `^${escapeRegex(`${term}:${fold(value)}`)}` } };
    }
    if (type === 'phone') return { _kv: `${term}:${cheapE164(value)}` };
    return { _kv: `${term}:${value}` };
  });
  return contactsWhere(allOf(conditions));
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

export function newestFirstOrder(a: Document, b: Document): number {
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
