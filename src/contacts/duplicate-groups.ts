import type { Collection, Document } from 'mongodb';
import type { Definitions } from '../attributes/definitions';
import { ferretDbTableOf } from '../db/ferretdb-table-scan';
import { quoteIdent } from '../db/postgres-sql';
import pg from 'pg';
import type { DuplicateReason } from './duplicate-score';

/** Group kinds in the order a sweep pages through them. */
export const groupKinds = ['phone', 'email', 'unique', 'full-name'] as const;
type GroupKind = (typeof groupKinds)[number];

export interface DuplicateGroup {
  reason: DuplicateReason & { kind: GroupKind };
  /** The first `maxGroupIds` contacts of the group, by id. */
  contactIds: string[];
  size: number;
  /** Pass as `after` for the next page. */
  cursor: string;
}

/** A number a whole switchboard shares must not make one answer of 100,000 ids: the first ones, and the count. */
const maxGroupIds = 200;

export interface GroupCursor {
  kind: GroupKind;
  key: string;
}

/** `kind:key` of the last group of a page; undefined when the text is no cursor. */
export function parseGroupCursor(text: string): GroupCursor | undefined {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon) as GroupKind;
  return colon > 0 && groupKinds.includes(kind) ? { kind, key: text.slice(colon + 1) } : undefined;
}

/** The attribute keys whose `_kv` tokens group as emails, and as unique values (a unique email is unique). */
export function groupedKeysOf(definitions: Definitions): { email: string[]; unique: string[] } {
  return {
    email: definitions.list.filter((d) => d.type === 'email' && !d.unique).map((d) => d.key),
    unique: definitions.list.filter((d) => d.unique).map((d) => d.key),
  };
}

interface GroupRow {
  kind: GroupKind;
  key: string;
  /** What groups are ordered and paged by: the key, but a full name's is "last first" (`_sortName`). */
  sortKey: string;
  size: number | string;
  ids: string[];
}

const toGroup = ({ kind, key, sortKey, size, ids }: GroupRow): DuplicateGroup => ({
  reason: { kind, key },
  contactIds: ids.slice(0, maxGroupIds),
  size: Number(size),
  cursor: `${kind}:${sortKey}`,
});

/**
 * On FerretDB, one grouping query over its PostgreSQL table: a full scan per page, but PostgreSQL's hash aggregate
 * spills to disk past work_mem, so memory stays bounded on both sides whatever the collection's size.
 */
export async function groupsFromFerretDbTable(
  postgresUrl: string,
  dbName: string,
  keys: { email: string[]; unique: string[] },
  page: { after?: GroupCursor; limit: number },
): Promise<DuplicateGroup[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const table = await ferretDbTableOf(client, dbName, 'contacts');
    if (!table) return [];
    const after = page.after ?? { kind: groupKinds[0], key: '' };
    const source = `${quoteIdent(dbName)}.${quoteIdent(table)}`;
    const { rows } = await client.query<GroupRow>(
      `WITH tokens AS (
         SELECT 0 AS rank, 'phone' AS kind, t COLLATE "C" AS sort_key, t AS name, _jsonb->>'_id' AS id
           FROM ${source}, jsonb_array_elements_text(_jsonb->'_phones') AS t
         UNION ALL
         SELECT CASE WHEN split_part(t, ':', 1) = ANY($2) THEN 2 ELSE 1 END,
                CASE WHEN split_part(t, ':', 1) = ANY($2) THEN 'unique' ELSE 'email' END, t COLLATE "C", t,
                _jsonb->>'_id'
           FROM ${source}, jsonb_array_elements_text(_jsonb->'_kv') AS t
           WHERE split_part(t, ':', 1) = ANY($1) OR split_part(t, ':', 1) = ANY($2)
         UNION ALL
         SELECT 3, 'full-name', (_jsonb->>'_sortName') COLLATE "C", _jsonb->'_fullNames'->>0, _jsonb->>'_id'
           FROM ${source} WHERE _jsonb->>'_sortName' <> ''
       )
       SELECT kind, sort_key AS "sortKey", min(name) AS key, count(DISTINCT id) AS size,
              (array_agg(DISTINCT id ORDER BY id))[1:$6] AS ids
         FROM tokens WHERE (rank, sort_key) > ($3, $4 COLLATE "C")
         GROUP BY rank, kind, sort_key HAVING count(DISTINCT id) > 1
         ORDER BY rank, sort_key LIMIT $5`,
      [keys.email, keys.unique, groupKinds.indexOf(after.kind), after.key, page.limit, maxGroupIds],
    );
    return rows.map(toGroup);
  } finally {
    await client.end();
  }
}

/**
 * One aggregation per kind on the driver (MongoDB, or a FerretDB whose PostgreSQL CIM does not know) counts the
 * contacts per token; FerretDB v1's $group has no $push, so each group's members are then read by an indexed
 * equality. Full names group by `_sortName` ("last first" alone: `_fullNames` holds both orders).
 */
function countsPipeline(kind: GroupKind, keys: { email: string[]; unique: string[] }, afterKey: string, limit: number) {
  const field = kind === 'phone' ? '_phones' : kind === 'full-name' ? '_sortName' : '_kv';
  const prefixes = kind === 'email' ? keys.email : keys.unique;
  // Keys match ^[A-Za-z][A-Za-z0-9_]*$: nothing to escape in the pattern.
  const wanted = field === '_kv' ? { $regex: `^(${prefixes.join('|')}):` } : { $ne: '' };
  return [
    { $match: { [field]: { $exists: true } } },
    ...(field === '_sortName' ? [] : [{ $unwind: `$${field}` }]),
    { $match: { [field]: { ...wanted, $gt: afterKey } } },
    { $group: { _id: `$${field}`, size: { $sum: 1 } } },
    { $match: { size: { $gt: 1 } } },
    { $sort: { _id: 1 } },
    { $limit: limit },
  ];
}

/** The group's members by an indexed equality (a full name's through `_fullNames`, which holds "last first"). */
async function membersOf(contacts: Collection, kind: GroupKind, sortKey: string) {
  const field = kind === 'phone' ? '_phones' : kind === 'full-name' ? '_fullNames' : '_kv';
  const found = await contacts
    .find({ [field]: sortKey }, { projection: { _sortName: 1, _fullNames: 1 }, sort: { _id: 1 }, limit: maxGroupIds })
    .toArray();
  return kind === 'full-name' ? found.filter((document) => document._sortName === sortKey) : found;
}

export async function groupsFromAggregation(
  contacts: Collection,
  keys: { email: string[]; unique: string[] },
  page: { after?: GroupCursor; limit: number },
): Promise<DuplicateGroup[]> {
  const groups: DuplicateGroup[] = [];
  const start = page.after ? groupKinds.indexOf(page.after.kind) : 0;
  for (const kind of groupKinds.slice(start)) {
    if ((kind === 'email' && !keys.email.length) || (kind === 'unique' && !keys.unique.length)) continue;
    const afterKey = kind === page.after?.kind ? page.after.key : '';
    const pipeline = countsPipeline(kind, keys, afterKey, page.limit - groups.length);
    for await (const row of contacts.aggregate<Document>(pipeline, { allowDiskUse: true })) {
      const sortKey = String(row._id);
      const members = await membersOf(contacts, kind, sortKey);
      const key = kind === 'full-name' ? String((members[0]?._fullNames as string[] | undefined)?.[0]) : sortKey;
      const ids = members.map((document) => String(document._id));
      groups.push(toGroup({ kind, key, sortKey, size: Number(row.size), ids }));
    }
    if (groups.length >= page.limit) break;
  }
  return groups;
}
