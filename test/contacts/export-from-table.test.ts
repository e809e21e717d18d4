import { parse } from 'csv-parse/sync';
import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { asText } from '../support/text-body';
import { runImport } from '../imports/import-support';

// On FerretDB, the export reads its PostgreSQL table (src/db/ferretdb-table-scan.ts); these tests hold it to
// the answer FerretDB itself gives. On MongoDB there is one way to read, and nothing to compare.
const onFerretDb = Boolean(process.env.CIM_TEST_POSTGRES_URL);

let direct: TestApp;
let viaFerretDb: TestApp;
let keys: Record<'text' | 'count' | 'ratio' | 'flag' | 'since' | 'mail' | 'mobile' | 'tier', string>;
const contactsToExport = 1_050; // more than a page of the table scan (1,000)

beforeAll(async () => {
  if (!onFerretDb) return;
  direct = await startTestApp();
  viaFerretDb = await startTestApp({ dbName: direct.dbName, withoutEnginePostgres: true });
  const define = async (prefix: string, definition: Record<string, unknown>) =>
    (await defineAttribute(direct, { key: uniqueKey(prefix), ...definition })).key;
  keys = {
    text: await define('text', { type: 'text' }),
    count: await define('count', { type: 'number' }),
    ratio: await define('ratio', { type: 'number' }),
    flag: await define('flag', { type: 'boolean' }),
    since: await define('since', { type: 'date' }),
    mail: await define('mail', { type: 'email', unique: true }),
    mobile: await define('mobile', { type: 'phone' }),
    tier: await define('tier', { type: 'enum', options: ['gold', 'silver'] }),
  };
  const rows = Array.from({ length: contactsToExport }, (_, index) =>
    JSON.stringify({
      first_name: index % 3 ? `Zoë ${index}` : `O'Brien "${index}"`,
      ...(index % 2 ? { last_name: 'Müller-Łukasz' } : {}),
      [keys.text]: index % 5 ? `line one\nline two, ${index}` : '=SUM(A1)',
      [keys.count]: index % 7 === 0 ? 0 : index - 500,
      [keys.ratio]: index / 8,
      [keys.flag]: index % 2 === 0,
      ...(index % 4 ? { [keys.since]: `2024-0${(index % 9) + 1}-15T08:30:00.250Z` } : {}),
      [keys.mail]: `person${index}@example.com`,
      [keys.mobile]: `+1415555${String(index).padStart(4, '0')}`,
      [keys.tier]: index % 2 ? 'gold' : 'silver',
    }),
  );
  const job = await runImport(direct, rows.join('\n'), 'application/x-ndjson');
  expect(job.rows.created).toBe(contactsToExport);
});
afterAll(async () => {
  if (!onFerretDb) return;
  await viaFerretDb.close({ keepDatabase: true });
  await direct.close();
});

const exportOf = async (app: TestApp, query: string) =>
  (await app.http.get(`/contacts/export?${query}`).buffer(true).parse(asText).expect(200)).body as string;

/** The records of an export in _id order: FerretDB answers in its table's order, the table scan in _id order. */
function recordsOf(body: string, format: 'csv' | 'ndjson'): string[] {
  const records: string[][] =
    format === 'csv'
      ? parse(body)
      : body
          .trim()
          .split('\n')
          .map((line) => [JSON.parse(line)._id, line]);
  return records.map((record) => JSON.stringify(record)).sort();
}

(onFerretDb ? describe : describe.skip)('GET /contacts/export read from FerretDB’s table', () => {
  it.each(['ndjson', 'csv'] as const)('answers %s as FerretDB does, every type and row', async (format) => {
    const query = `format=${format}`;
    const [fromTable, fromFerretDb] = [await exportOf(direct, query), await exportOf(viaFerretDb, query)];

    expect(recordsOf(fromTable, format)).toHaveLength(contactsToExport + (format === 'csv' ? 1 : 0));
    expect(recordsOf(fromTable, format)).toEqual(recordsOf(fromFerretDb, format));
  });

  it('keeps updatedSince: only the contacts changed since, as FerretDB finds them', async () => {
    const changedAt = new Date(Date.now() - 1);
    const one = JSON.parse((await exportOf(direct, 'format=ndjson')).split('\n')[42]) as { _id: string };
    await direct.http
      .put(`/contacts/${one._id}`)
      .send({ [keys.tier]: 'gold', [keys.count]: 12345 })
      .expect(200);
    const query = `format=ndjson&updatedSince=${encodeURIComponent(changedAt.toISOString())}`;

    const [fromTable, fromFerretDb] = [await exportOf(direct, query), await exportOf(viaFerretDb, query)];

    expect(fromTable).toBe(fromFerretDb);
    expect(
      fromTable
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { _id: string })._id),
    ).toEqual([one._id]);
  });
});
