import pg from 'pg';
import type { Equality } from './all-of';
import { ferretDbTableOf, storedFormWithout } from './ferretdb-table-scan';
import { fromPickedFields, fromStoredForm, type Elem, type StoredDocument } from './ferretdb-stored-form';
import { quoteIdent, quoteLiteral } from './postgres-sql';

/** Every equality as FerretDB hands it down, after the parameters already taken. */
function whereAllOf(equalities: Equality[], params: unknown[]): { where: string; params: unknown[] } {
  const where = equalities.map((equality) => {
    const [[field, value]] = Object.entries(equality);
    params.push(JSON.stringify([value]));
    return `_jsonb -> ${quoteLiteral(field)} @> $${params.length}::jsonb`;
  });
  return { where: where.join(' AND '), params };
}

/**
 * Finds in a FerretDB collection's PostgreSQL table: by equalities on array fields, each served by its GIN index
 * (`_jsonb -> field @> [value]`, the form FerretDB hands down), sending back only the fields asked for or all but
 * some; or by many ids at once. For reads of many documents, where FerretDB would spend about a millisecond decoding
 * each whole stored contact, and takes a round trip for each id (it hands no `$in` down).
 */
export function createFerretDbTableFinder(postgresUrl: string, dbName: string) {
  const pool = new pg.Pool({
    connectionString: postgresUrl,
    max: 4,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    // A PostgreSQL that is gone fails the request at once (503) rather than after the OS gives up on it.
    connectionTimeoutMillis: 5_000,
  });
  // A connection lost while idle fails the next query, which its caller hears; unheard here it would end the process.
  pool.on('error', () => undefined);
  const tables = new Map<string, string>();

  /** The collection's table, schema-qualified and quoted; undefined before its first document. */
  async function tableOf(collection: string): Promise<string | undefined> {
    const known = tables.get(collection);
    if (known) return known;
    const table = await ferretDbTableOf(pool, dbName, collection);
    if (!table) return undefined;
    const qualified = `${quoteIdent(dbName)}.${quoteIdent(table)}`;
    tables.set(collection, qualified);
    return qualified;
  }

  return {
    /** Up to `limit` documents matching every equality, with only the `keep` fields (picked inside PostgreSQL). */
    async findWhereAll(
      collection: string,
      equalities: Equality[],
      options: { limit: number; keep: readonly string[] },
    ): Promise<Record<string, unknown>[]> {
      const table = await tableOf(collection);
      if (!table || !equalities.length) return [];
      const { where, params } = whereAllOf(equalities, [options.limit]);
      const picked = (from: string) => options.keep.map((key) => `${from} -> ${quoteLiteral(key)}`).join(', ');
      // `|| '{}'` detoasts each stored contact once: every `->` on the stored column would decompress it again.
      const { rows } = await pool.query<{ values: unknown[]; types: (Elem | null)[] }>(
        `SELECT jsonb_build_array(${picked('j')}) AS values, jsonb_build_array(${picked("j -> '$s' -> 'p'")}) AS types
         FROM (SELECT _jsonb || '{}'::jsonb AS j FROM ${table} WHERE ${where} LIMIT $1) AS found`,
        params,
      );
      return rows.map(({ values, types }) => fromPickedFields(options.keep, values, types));
    },

    /** Up to `limit` documents matching every equality, whole but for the `omit` fields. */
    async findWhereAllOmitting(
      collection: string,
      equalities: Equality[],
      options: { limit: number; omit: readonly string[] },
    ): Promise<Record<string, unknown>[]> {
      const table = await tableOf(collection);
      if (!table || !equalities.length) return [];
      const { where, params } = whereAllOf(equalities, [options.limit, options.omit]);
      const { rows } = await pool.query<{ doc: StoredDocument }>(
        `SELECT ${storedFormWithout('$2')} AS doc FROM ${table} WHERE ${where} LIMIT $1`,
        params,
      );
      return rows.map(({ doc }) => fromStoredForm(doc));
    },

    /** The documents with these ObjectId `_id`s, whole: one query through the `_id` index instead of one each. */
    async findByIds(collection: string, ids: readonly string[]): Promise<Record<string, unknown>[]> {
      const table = await tableOf(collection);
      if (!table || !ids.length) return [];
      const { rows } = await pool.query<{ doc: StoredDocument }>(
        `SELECT _jsonb AS doc FROM ${table} WHERE _jsonb -> '_id' = ANY($1::jsonb[])`,
        [ids.map((id) => JSON.stringify(id))],
      );
      return rows.map(({ doc }) => fromStoredForm(doc));
    },

    /**
     * A page of documents by descending ObjectId `_id`, before `beforeId` if given, through the `_id` index: FerretDB
     * would read and sort the whole collection for it. The `omit` fields are left out.
     */
    async newestFirst(
      collection: string,
      page: { limit: number; beforeId?: string; omit: readonly string[] },
    ): Promise<Record<string, unknown>[]> {
      const table = await tableOf(collection);
      if (!table) return [];
      const params: unknown[] = [page.omit, page.limit];
      const before = page.beforeId
        ? `WHERE _jsonb -> '_id' < $${params.push(JSON.stringify(page.beforeId))}::jsonb`
        : '';
      const { rows } = await pool.query<{ doc: StoredDocument }>(
        `SELECT ${storedFormWithout('$1')} AS doc FROM ${table} ${before} ORDER BY _jsonb -> '_id' DESC LIMIT $2`,
        params,
      );
      return rows.map(({ doc }) => fromStoredForm(doc));
    },
  };
}
