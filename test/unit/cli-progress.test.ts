import { Readable } from 'node:stream';
import type { ImportJobResponse } from '../../src/imports/import-job';
import { jobLine, summaryLine, uploadLine } from '../../src/cli/import-lines';
import { progressBar } from '../../src/cli/progress-bar';
import { RowCounter } from '../../src/cli/row-counter';

const job = (overrides: Partial<ImportJobResponse> = {}): ImportJobResponse => ({
  id: '0123456789abcdef01234567',
  status: 'running',
  format: 'csv',
  mode: 'create',
  dryRun: false,
  rows: { processed: 250, created: 200, updated: 30, unchanged: 10, rejected: 10 },
  createdAt: '2025-01-31T00:00:00.000Z',
  ...overrides,
});

describe('progressBar', () => {
  it.each([
    [0, '░░░░░░░░░░   0%'],
    [0.25, '██░░░░░░░░  25%'],
    [0.999, '█████████░  99%'],
    [1, '██████████ 100%'],
    [3, '██████████ 100%'],
    [-1, '░░░░░░░░░░   0%'],
    [Number.NaN, '░░░░░░░░░░   0%'],
  ])('draws %s as %s', (fraction, drawn) => {
    expect(progressBar(fraction, 10)).toBe(drawn);
  });
});

describe('the import’s lines', () => {
  it('uploading: bytes sent of the file’s size', () => {
    expect(uploadLine(512 * 1024, 2 * 1024 * 1024)).toBe('uploading ███░░░░░░░░░  25% 512.0 kB of 2.0 MB');
  });

  it('running: rows processed of the rows counted in the file, the counts, rows/s and seconds', () => {
    expect(jobLine(job(), 1000, 5)).toBe(
      'importing ███░░░░░░░░░  25% 250/~1000 rows · 200 new 30 upd 10 same 10 rej · 50/s 5 s',
    );
  });

  it('the summary: status, dry run, counts, seconds, rows/s and the rejects file', () => {
    expect(summaryLine(job({ status: 'completed', dryRun: true }), 2, '/tmp/a.rejects.csv')).toBe(
      'import 0123456789abcdef01234567 completed (dry run: nothing written): 250 rows, 200 created, 30 updated, ' +
        '10 unchanged, 10 rejected in 2.0 s, 125 rows/s; the rejected rows and why are in /tmp/a.rejects.csv',
    );
  });
});

describe('RowCounter.rowsAtEnd, the rows of a file to import', () => {
  const rowsAtEnd = async (text: string, csv: boolean) => {
    const counter = new RowCounter(csv);
    for await (const chunk of Readable.from([Buffer.from(text)]).pipe(counter)) void chunk;
    return counter.rowsAtEnd;
  };

  it.each([
    ['first_name\nAda\nAlan\n', true, 2],
    ['first_name\nAda\nAlan', true, 2],
    ['first_name\n"two\nlines"\n', true, 1],
    ['first_name', true, 0],
    ['{"a":1}\n{"a":2}', false, 2],
    ['', false, 0],
  ])('%j (csv: %s) holds %d', async (text, csv, rows) => {
    expect(await rowsAtEnd(text, csv)).toBe(rows);
  });
});
