import type { PostgresCluster } from './postgres';

/**
 * FerretDB v1 pushes an equality filter down to PostgreSQL as jsonb containment (`_jsonb -> 'f' @> value`), which
 * its own btree expression indexes cannot serve: every pushed-down find, even by _id, is a sequential scan. GIN
 * `jsonb_path_ops` indexes on the same expressions serve containment, so with them the engine answers from an index
 * wherever FerretDB pushes the filter down, and the bench can see our server's cost instead of the engine's.
 */
const indexedFields: Record<string, string[]> = {
  contacts: ['_id', '_phones', '_kv', '_nameTokens', '_fullNames'],
  interactions: ['_id', 'phoneKey'],
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function addContainmentIndexes(postgres: PostgresCluster, dbName: string): void {
  const schema = quoteIdent(dbName);
  const tables = postgres
    .sql(`SELECT _jsonb->>'_id', _jsonb->>'table' FROM ${schema}._ferretdb_database_metadata`)
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('|') as [string, string]);
  for (const [collection, table] of tables) {
    for (const field of indexedFields[collection] ?? ['_id']) {
      postgres.sql(
        `CREATE INDEX ON ${schema}.${quoteIdent(table)} USING gin ((_jsonb -> ${quoteLiteral(field)}) jsonb_path_ops)`,
      );
    }
    postgres.sql(`ANALYZE ${schema}.${quoteIdent(table)}`);
  }
}
