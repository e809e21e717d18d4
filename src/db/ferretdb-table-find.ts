import pg from 'pg';
import type { Equality } from './all-of';
import { ferretDbTableOf } from './ferretdb-table-scan';
import { fromStoredForm, type StoredDocument } from './ferretdb-stored-form';
import { quoteIdent, quoteLiteral } from './postgres-sql';

/**
 * Finds in a FerretDB collection's PostgreSQL table: equalities on array fields, each served by its GIN index
 * (`_jsonb -> field @> [value]`, the form FerretDB hands down), only the fields asked for sent back. For reads of
 * many candidates, where FerretDB would spend about a millisecond decoding each whole stored contact.
 */
export function createFerretDbTableFinder(postgresUrl: string, dbName: string) {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  // A connection lost while idle fails the next query, which its caller hears; unheard here it would end the process.
  pool.on('error', () => undefined);
  const tables = new Map<string, string>();

  async function tableOf(collection: string): Promise<string | undefined> {
    const known = tables.get(collection);
    if (known) return known;
    const table = await ferretDbTableOf(pool, dbName, collection);
    if (table) tables.set(collection, table);
    return table;
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
      const params: unknown[] = [options.keep];
      const where = equalities.map((equality) => {
        const [[field, value]] = Object.entries(equality);
        params.push(JSON.stringify([value]));
        return `_jsonb -> ${quoteLiteral(field)} @> $${params.length}::jsonb`;
      });
      params.push(options.limit);
      const { rows } = await pool.query<{ doc: StoredDocument }>(
        `SELECT jsonb_set(_jsonb - d.drop, '{$s,p}', (_jsonb->'$s'->'p') - d.drop) AS doc
         FROM ${quoteIdent(dbName)}.${quoteIdent(table)},
           LATERAL (SELECT coalesce(array_agg(k), '{}') AS drop FROM jsonb_object_keys(_jsonb) AS k
                    WHERE k <> ALL($1::text[]) AND k <> '$s') AS d
         WHERE ${where.join(' AND ')} LIMIT $${params.length}`,
        params,
      );
      return rows.map(({ doc }) => fromStoredForm(doc));
    },
  };
}
