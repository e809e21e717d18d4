import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger';
import { quoteIdent, quoteLiteral } from './postgres-sql';

interface TableFields {
  collection: string;
  table: string;
  fields: string[];
}

// Below this many rows an index is built in one short lock; above, CONCURRENTLY, so writes go on meanwhile.
const concurrentFromRows = 10_000;

const indexName = (table: string, field: string) =>
  `cim_gin_${createHash('sha256').update(`${table}\0${field}`).digest('hex').slice(0, 24)}`;

/**
 * FerretDB v1 hands a top-level equality down to PostgreSQL as jsonb containment (`_jsonb -> 'f' @> value`),
 * which its own btree indexes cannot serve. This adds a GIN `jsonb_path_ops` index on `_id` and on every field
 * of every index the collections declare (Mongoose schemas, createIndex), so each such find is an index scan.
 * Idempotent: run at every start, it adds only what is missing (new collections, new indexes). Without
 * `fastupdate`, a write updates the index at once: every search then reads sorted posting lists, never a
 * pending list of recent writes to scan (CIM reads far more than it writes).
 */
export async function addContainmentIndexes(postgresUrl: string, dbName: string, logger: Logger): Promise<number> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await dropInvalidIndexes(client, dbName);
    let created = 0;
    for (const { table, fields } of await declaredFields(client, dbName)) {
      for (const field of ['_id', ...fields.filter((name) => name !== '_id')]) {
        if (await createIndex(client, dbName, table, field)) created++;
      }
    }
    if (created)
      logger.info({ database: dbName, created }, `added ${created} GIN indexes for FerretDB's pushed-down filters`);
    return created;
  } finally {
    await client.end();
  }
}

async function declaredFields(client: pg.Client, dbName: string): Promise<TableFields[]> {
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [dbName]);
  if (!exists.rowCount) return [];
  const { rows } = await client.query<TableFields>(`
    SELECT m._jsonb->>'_id' AS collection, m._jsonb->>'table' AS table,
      ARRAY(SELECT DISTINCT key FROM jsonb_array_elements(COALESCE(m._jsonb->'indexes', '[]')) AS i,
        jsonb_object_keys(i->'key') AS key WHERE key NOT LIKE '$%') AS fields
    FROM ${quoteIdent(dbName)}._ferretdb_database_metadata AS m`);
  return rows;
}

/** Creates the index unless it exists; false when it did (or another instance created it meanwhile). */
async function createIndex(client: pg.Client, dbName: string, table: string, field: string): Promise<boolean> {
  const name = indexName(table, field);
  const found = await client.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [dbName, name]);
  if (found.rowCount) return false;
  const qualified = `${quoteIdent(dbName)}.${quoteIdent(table)}`;
  const { rows } = await client.query<{ rows: number }>(
    'SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = $1::regclass',
    [qualified],
  );
  const concurrently = Number(rows[0]?.rows ?? 0) >= concurrentFromRows ? 'CONCURRENTLY' : '';
  try {
    await client.query(
      `CREATE INDEX ${concurrently} IF NOT EXISTS ${quoteIdent(name)} ON ${qualified} ` +
        `USING gin ((_jsonb -> ${quoteLiteral(field)}) jsonb_path_ops) WITH (fastupdate = off)`,
    );
  } catch (error) {
    // Another instance starting at the same moment created it.
    if (['23505', '42P07'].includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
  if (concurrently) await client.query(`ANALYZE ${qualified}`);
  return true;
}

/** A CONCURRENTLY build that was interrupted leaves an invalid index behind: drop it so it is built again. */
async function dropInvalidIndexes(client: pg.Client, dbName: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT i.indisvalid AND n.nspname = $1 AND c.relname LIKE 'cim_gin_%'`,
    [dbName],
  );
  for (const { name } of rows)
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(dbName)}.${quoteIdent(name)}`);
}
