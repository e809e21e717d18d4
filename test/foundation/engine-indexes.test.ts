import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { contactModel } from '../../src/contacts/contact.model';
import { startTestApp, type TestApp } from '../support/test-app';

const postgresUrl = process.env.CIM_TEST_POSTGRES_URL;
const onPostgres = postgresUrl ? describe : describe.skip;

/** The fields with a GIN index, per collection, in the app's database on FerretDB's PostgreSQL. */
async function ginIndexedFields(client: pg.Client, dbName: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ collection: string; field: string }>(
    `SELECT m._jsonb->>'_id' AS collection, substring(i.indexdef from '_jsonb -> ''([^'']+)''') AS field
     FROM ${JSON.stringify(dbName)}._ferretdb_database_metadata m
     JOIN pg_indexes i ON i.schemaname = $1 AND i.tablename = m._jsonb->>'table' AND i.indexname LIKE 'cim_gin_%'`,
    [dbName],
  );
  const fields = new Map<string, string[]>();
  for (const { collection, field } of rows) fields.set(collection, [...(fields.get(collection) ?? []), field].sort());
  return fields;
}

onPostgres('GIN indexes under FerretDB on PostgreSQL', () => {
  let t: TestApp;
  let client: pg.Client;
  beforeAll(async () => {
    t = await startTestApp();
    client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.close();
  });

  it('indexes _id and every field of every index a collection declares', async () => {
    const fields = await ginIndexedFields(client, t.dbName);

    const declared = contactModel(t.db.connection)
      .schema.indexes()
      .flatMap(([keys]) => Object.keys(keys));
    expect(fields.get('contacts')).toEqual([...new Set(['_id', ...declared])].sort());
    expect(fields.get('interactions')).toEqual(expect.arrayContaining(['_id', 'phoneKey']));
    for (const collection of ['locks', 'cache_versions', 'contact_unique_values', 'background_jobs']) {
      expect(fields.get(collection)).toEqual(expect.arrayContaining(['_id']));
    }
  });

  it('answers a name search from the index', async () => {
    const contacts = t.db.connection.collection('contacts');
    const explained = await t.db.connection.db!.command({
      explain: { find: 'contacts', filter: { _names: 'smi', _names2: 'jo' } },
    });
    expect(explained).toMatchObject({ filterPushdown: true });
    await client.query('SET enable_seqscan = off');
    const [{ table }] = (
      await client.query(
        `SELECT _jsonb->>'table' AS table FROM "${t.dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'contacts'`,
      )
    ).rows;
    const plan = await client.query(
      `EXPLAIN SELECT _jsonb FROM "${t.dbName}"."${table}" WHERE _jsonb -> '_names' @> '"smi"'`,
    );
    expect(JSON.stringify(plan.rows)).toMatch(/Bitmap Index Scan on cim_gin_/);
    expect(await contacts.countDocuments({ _names: 'smi' })).toBe(0);
  });

  it('are added by `npm run ferretdb:indexes` where missing', async () => {
    const [{ name }] = (
      await client.query(
        `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'cim_gin_%' LIMIT 1`,
        [t.dbName],
      )
    ).rows;
    await client.query(`DROP INDEX "${t.dbName}"."${name}"`);

    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/ferretdb-indexes.ts', postgresUrl!, t.dbName],
      {
        cwd: path.resolve(__dirname, '../..'),
        encoding: 'utf8',
      },
    );

    expect(cli.stdout).toContain(`1 indexes added to ${t.dbName}`);
    const again = await client.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [
      t.dbName,
      name,
    ]);
    expect(again.rowCount).toBe(1);
  });
});
