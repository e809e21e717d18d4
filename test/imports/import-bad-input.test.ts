import { parse } from 'csv-parse/sync';
import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { postImport, rejectsOf, runImport, waitForJob, type ImportJob } from './import-support';

const unknownColumn = 'is not a defined attribute: define it (POST /saveSchema) or remove the column';

const csv = 'text/csv';
const ndjson = 'application/x-ndjson';
const tenMb = 'x'.repeat(10 * 1024 * 1024);
const oneMb = 'y'.repeat(1024 * 1024);
const line = (value: object) => JSON.stringify(value);
const unknownColumns = Array.from({ length: 1000 }, (_, index) => `col${index + 1}`);

/** A reject as the test reads it: its line, its errors as `path: message; …`, and maybe some of its cells. */
interface ExpectedReject {
  row: number;
  errors: string | RegExp;
  input?: Record<string, unknown>;
}
/** The upload is refused: nothing stored, no job. */
interface Refused {
  status: 400 | 415;
  detail: string | RegExp;
  errors?: { path: string; message: string }[];
}
/** The upload is taken: the job ends so, having created that many contacts and rejected those rows. */
interface Finished {
  job: 'completed' | 'failed';
  error?: RegExp;
  created: number;
  rejects?: ExpectedReject[];
}
interface Case {
  name: string;
  file: string | Buffer;
  type: string;
  expected: Refused | Finished;
}

const table: Case[] = [
  {
    name: 'CSV: a BOM before the header is dropped',
    file: '\uFEFFfirst_name\nBom\n',
    type: csv,
    expected: { job: 'completed', created: 1 },
  },
  {
    name: 'NDJSON: a BOM before the first line is dropped',
    file: `\uFEFF${line({ first_name: 'Bom' })}\n`,
    type: ndjson,
    expected: { job: 'completed', created: 1 },
  },
  {
    name: 'CSV: CRLF, LF and both mixed are line ends',
    file: 'first_name\r\nA\r\nB\nC\r\n',
    type: csv,
    expected: { job: 'completed', created: 3 },
  },
  {
    name: 'NDJSON: CRLF, LF and both mixed are line ends',
    file: `${line({ first_name: 'A' })}\r\n${line({ first_name: 'B' })}\n`,
    type: ndjson,
    expected: { job: 'completed', created: 2 },
  },
  {
    name: 'CSV: a quoted newline stays in its cell, and later rows keep their line numbers',
    file: 'first_name,last_name\n"Two\r\nlines",x\nRagged,row,extra\nFew\n',
    type: csv,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [
        { row: 4, errors: 'row 4 has 3 cells where the header has 2' },
        { row: 5, errors: 'row 5 has 1 cell where the header has 2' },
      ],
    },
  },
  {
    name: 'NDJSON: an escaped newline is data; a raw newline in a string splits the line, both halves rejected',
    file: `${line({ first_name: 'Two\nlines' })}\n{"first_name":"Split\nhere"}\n`,
    type: ndjson,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [
        { row: 2, errors: 'row 2 is not valid JSON' },
        { row: 3, errors: 'row 3 is not valid JSON' },
      ],
    },
  },
  {
    name: 'CSV: a row 10 MB long (a quoted cell) is rejected as longer than 1 MB, cut in the rejects; the rows around it are imported',
    file: `first_name\nBefore\n"${tenMb}\n${tenMb}"\nAfter\nRagged,row\n`,
    type: csv,
    expected: {
      job: 'completed',
      created: 2,
      rejects: [
        {
          row: 3,
          errors: 'row 3 is longer than 1048576 bytes; it is cut in the rejects',
          input: { first_name: `${'x'.repeat(10_000)}…` },
        },
        { row: 6, errors: 'row 6 has 2 cells where the header has 1' },
      ],
    },
  },
  {
    name: 'NDJSON: a line 10 MB long is rejected as longer than 1 MB; the lines around it are imported',
    file: `${line({ first_name: 'Before' })}\n${line({ first_name: tenMb })}\n${line({ first_name: 'After' })}\n`,
    type: ndjson,
    expected: {
      job: 'completed',
      created: 2,
      rejects: [
        {
          row: 2,
          errors: 'row 2 is longer than 1048576 bytes; it is cut in the rejects',
          input: { line: line({ first_name: tenMb }).slice(0, 1000) },
        },
      ],
    },
  },
  {
    name: 'CSV: invalid UTF-8 is refused',
    file: Buffer.concat([Buffer.from('first_name\n'), Buffer.from([0xe9, 0x0a])]),
    type: csv,
    expected: { status: 400, detail: 'The file is not valid UTF-8.' },
  },
  {
    name: 'CSV: invalid UTF-8 after the first 1 MB is refused, the chunks stored so far deleted',
    file: Buffer.concat([Buffer.from(`first_name\n${oneMb}\n${oneMb}\n`), Buffer.from([0xff, 0x0a])]),
    type: csv,
    expected: { status: 400, detail: 'The file is not valid UTF-8.' },
  },
  {
    name: 'NDJSON: a UTF-8 sequence cut at the end of the file is refused',
    file: Buffer.concat([Buffer.from('{"first_name":"'), Buffer.from([0xe2, 0x82])]),
    type: ndjson,
    expected: { status: 400, detail: 'The file is not valid UTF-8.' },
  },
  {
    name: 'CSV: a header naming a column twice is refused, naming it',
    file: 'phone1,phone1\n+14155550101,+14155550102\n',
    type: csv,
    expected: { status: 400, detail: /phone1/, errors: [{ path: 'phone1', message: 'is a repeated column' }] },
  },
  {
    name: 'CSV: the header repeated inside the file (two exports joined, BOM and all) is a rejected row, not a contact',
    file: '\uFEFFfirst_name,last_name\nA,One\n\uFEFFfirst_name,last_name\nB,Two\n first_name , last_name \n',
    type: csv,
    expected: {
      job: 'completed',
      created: 2,
      rejects: [
        { row: 3, errors: 'row 3 repeats the header' },
        { row: 5, errors: 'row 5 repeats the header' },
      ],
    },
  },
  {
    name: 'CSV: an empty file is refused',
    file: '',
    type: csv,
    expected: { status: 400, detail: 'The file is empty.' },
  },
  {
    name: 'NDJSON: an empty file is refused',
    file: '',
    type: ndjson,
    expected: { status: 400, detail: 'The file is empty.' },
  },
  {
    name: 'CSV: a file of blank lines has no header and is refused',
    file: '\r\n\n',
    type: csv,
    expected: {
      status: 400,
      detail: /header/,
      errors: [{ path: 'header', message: 'the first line must name the columns (attribute keys)' }],
    },
  },
  {
    name: 'NDJSON: a file of blank lines completes with no rows',
    file: '\n\r\n  \n',
    type: ndjson,
    expected: { job: 'completed', created: 0 },
  },
  {
    name: 'CSV: a file of only a header completes with no rows',
    file: 'first_name,last_name\n',
    type: csv,
    expected: { job: 'completed', created: 0 },
  },
  {
    name: 'CSV: a file of only a header, without a line end, completes with no rows',
    file: 'first_name,last_name',
    type: csv,
    expected: { job: 'completed', created: 0 },
  },
  {
    name: 'CSV: a NUL byte in a cell rejects the row',
    file: 'first_name\nA\u0000B\nPlain\n',
    type: csv,
    expected: { job: 'completed', created: 1, rejects: [{ row: 2, errors: 'holds a null character' }] },
  },
  {
    name: 'CSV: a NUL byte in the header is refused, naming the column',
    file: 'first_name\u0000\nA\n',
    type: csv,
    expected: {
      status: 400,
      detail: /first_name/,
      errors: [{ path: 'first_name\u0000', message: unknownColumn }],
    },
  },
  {
    name: 'NDJSON: a NUL character in a value, escaped or raw, rejects the line',
    file: `${line({ first_name: 'A\u0000B' })}\n{"first_name":"A\u0000B"}\n${line({ first_name: 'Plain' })}\n`,
    type: ndjson,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [
        { row: 1, errors: 'holds a null character' },
        { row: 2, errors: 'row 2 is not valid JSON' },
      ],
    },
  },
  {
    name: 'NDJSON: __proto__, constructor, $where and a.b keys reject their line, naming the key, and pollute nothing',
    file: [
      '{"first_name":"P","__proto__":{"polluted":true}}',
      '{"first_name":"C","constructor":{"prototype":{"polluted":true}}}',
      '{"first_name":"W","$where":"sleep(1000)"}',
      '{"first_name":"D","a.b":"x"}',
      line({ first_name: 'Plain' }),
    ].join('\n'),
    type: ndjson,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [
        { row: 1, errors: '__proto__: is not a defined attribute' },
        { row: 2, errors: 'constructor: is not a defined attribute' },
        { row: 3, errors: '$where: is not a defined attribute' },
        { row: 4, errors: 'a.b: is not a defined attribute' },
      ],
    },
  },
  {
    name: 'CSV: a __proto__ column is refused',
    file: '__proto__,first_name\nx,A\n',
    type: csv,
    expected: {
      status: 400,
      detail: /__proto__/,
      errors: [{ path: '__proto__', message: unknownColumn }],
    },
  },
  {
    name: 'CSV: a tab-separated file is refused, saying so',
    file: 'first_name\tlast_name\nA\tB\n',
    type: csv,
    expected: {
      status: 400,
      detail: /first_name\tlast_name/,
      errors: [
        {
          path: 'first_name\tlast_name',
          message:
            'is not a defined attribute: the columns look separated by tabs; save the file as comma-separated CSV',
        },
      ],
    },
  },
  {
    name: 'CSV: a header of 1,000 unknown columns is refused; the answer names 10 and counts the rest, and lists 50',
    file: `${unknownColumns.join(',')}\n`,
    type: csv,
    expected: {
      status: 400,
      detail:
        'The file has columns that cannot be imported: col1, col2, col3, col4, col5, col6, col7, col8, col9, col10 and 990 more.',
      errors: unknownColumns.slice(0, 50).map((path) => ({ path, message: unknownColumn })),
    },
  },
  {
    name: 'CSV: a row of 1,000 cells under a short header is rejected as ragged',
    file: `first_name\n${unknownColumns.join(',')}\nPlain\n`,
    type: csv,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [{ row: 2, errors: 'row 2 has 1000 cells where the header has 1' }],
    },
  },
  {
    name: 'CSV rejects: a cell a spreadsheet would run as a formula is written with a leading apostrophe',
    file: 'first_name,phone1\n"=HYPERLINK(""http://x.test"",""click"")",+cmd\n',
    type: csv,
    expected: {
      job: 'completed',
      created: 0,
      rejects: [
        { row: 2, errors: /^phone1: /, input: { first_name: `'=HYPERLINK("http://x.test","click")`, phone1: "'+cmd" } },
      ],
    },
  },
  {
    name: 'CSV: a quote never closed fails the job with the parser’s message, no row written',
    file: 'first_name\nBefore\n"never closed\n',
    type: csv,
    expected: { job: 'failed', error: /quote/i, created: 0 },
  },
  {
    name: 'CSV: a quote never closed more than 1 MB before the end still fails the job, not cut into one rejected row',
    file: `first_name\nBefore\n"never closed ${oneMb}\n${oneMb}\n`,
    type: csv,
    expected: { job: 'failed', error: /quote/i, created: 0 },
  },
  {
    name: 'NDJSON: a line that is JSON but not an object (array, string, null) is rejected',
    file: `[1,2]\n"text"\nnull\n${line({ first_name: 'Plain' })}\n`,
    type: ndjson,
    expected: {
      job: 'completed',
      created: 1,
      rejects: [1, 2, 3].map((row) => ({ row, errors: `row ${row} is not a JSON object` })),
    },
  },
  {
    name: 'a file that is neither CSV nor NDJSON is refused',
    file: '<xml/>',
    type: 'application/xml',
    expected: { status: 415, detail: /text\/csv/ },
  },
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const contactCount = () => t.db.connection.collection('contacts').countDocuments();

/** Chunks no job owns: what a refused upload would leave behind if it did not clean up. */
async function orphanChunks(): Promise<number> {
  const jobIds = new Set(
    (await t.db.connection.collection('import_jobs').find({}).toArray()).map((job) => String(job._id)),
  );
  const chunks = await t.db.connection
    .collection('import_chunks')
    .find({}, { projection: { jobId: 1 } })
    .toArray();
  return chunks.filter((chunk) => !jobIds.has(String(chunk.jobId))).length;
}

/** The job's rejects, CSV or NDJSON, as { row, errors: `path: message; …`, input }. */
async function readRejects(job: ImportJob): Promise<ExpectedReject[]> {
  const text = await rejectsOf(t, job.id);
  if (job.format === 'csv') {
    return parse<Record<string, string>>(text, { columns: true }).map(({ row, errors, ...input }) => ({
      row: Number(row),
      errors,
      input,
    }));
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (text) =>
        JSON.parse(text) as {
          row: number;
          errors: { path: string; message: string }[];
          input: Record<string, unknown>;
        },
    )
    .map(({ row, errors, input }) => ({
      row,
      errors: errors.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; '),
      input,
    }));
}

function asMatcher({ row, errors, input }: ExpectedReject) {
  return {
    row,
    errors: typeof errors === 'string' ? errors : expect.stringMatching(errors),
    ...(input ? { input } : {}),
  };
}

describe('POST /imports with bad input: a clear refusal or row rejection, nothing half-written, the server unharmed', () => {
  it.each(table)('$name', async ({ file, type, expected }) => {
    const before = await contactCount();

    const res = await postImport(t, file, type);

    if ('status' in expected) {
      expect(res.status).toBe(expected.status);
      expect(res.body).toMatchObject({
        status: expected.status,
        detail: typeof expected.detail === 'string' ? expected.detail : expect.stringMatching(expected.detail),
      });
      if (expected.errors) expect(res.body.errors).toEqual(expected.errors);
      expect(await orphanChunks()).toBe(0);
    } else {
      expect(res.status).toBe(202);
      const rejected = expected.rejects?.length ?? 0;
      const job = await waitForJob(t, (res.body as ImportJob).id);
      expect(job).toMatchObject({
        status: expected.job,
        rows: { processed: expected.created + rejected, created: expected.created, rejected },
      });
      if (expected.error) expect(job.error).toMatch(expected.error);
      expect(await readRejects(job)).toMatchObject((expected.rejects ?? []).map(asMatcher));
    }
    expect(await contactCount()).toBe(before + ('status' in expected ? 0 : expected.created));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await t.http.get('/ready').expect(200);
  });
});

describe('POST /imports with many columns', () => {
  it('CSV: a file of 100 columns, every attribute the schema allows, imports', async () => {
    const wide: string[] = [];
    for (let index = 3; index < 100; index++) {
      wide.push((await defineAttribute(t, { key: uniqueKey('wide'), type: 'string' })).key);
    }
    const columns = ['first_name', 'last_name', 'phone1', ...wide];
    const row = (n: number) => columns.map((column) => (column === 'phone1' ? '' : `${column}-${n}`)).join(',');

    const job = await runImport(t, `${columns.join(',')}\n${row(1)}\n${row(2)}\n`);

    expect(job).toMatchObject({ status: 'completed', rows: { created: 2, rejected: 0 } });
    // 97 schema changes one after another: 17 s on a quiet machine, over 60 s on a busy one.
  }, 180_000);
});
