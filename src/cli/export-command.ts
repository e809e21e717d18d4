import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { CliFailure } from './cli-failure';
import { serverOf } from './cim-server';
import { requestExport } from './export-request';
import { RowCounter } from './row-counter';
import { TransferReport } from './transfer-report';

export const exportUsage = `usage: cim export [--format csv|ndjson] [--updated-since <ISO date-time>] [--out <file>]
                  [--url <server>] [--key <api key>]

Writes every contact (or those changed at or after --updated-since) to stdout, or to --out.
  --format         csv (the default, with a header row) or ndjson (one JSON object a line)
  --updated-since  e.g. 2025-01-31T00:00:00Z: only the contacts changed since then (incremental sync)
  --out            the file to write; removed again if the export fails half-way
  --url            the CIM server (default: CIM_URL, else http://localhost:3000)
  --key            an admin API key (default: CIM_API_KEY)
Progress shows on stderr when it is a terminal; a summary line always ends on stderr.`;

const options = {
  format: { type: 'string' },
  'updated-since': { type: 'string' },
  out: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runExport(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseExportArgs(args);
  if (values.help) {
    process.stdout.write(`${exportUsage}\n`);
    return;
  }
  const response = await requestExport(serverOf(values, env), {
    format: values.format,
    updatedSince: values['updated-since'],
  });
  const isCsv = response.headers.get('content-type')?.startsWith('text/csv') ?? false;
  await writeBody(response, new RowCounter(isCsv), values.out);
}

function parseExportArgs(args: string[]) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new CliFailure(`${(error as Error).message}\n\n${exportUsage}`, 2);
  }
}

async function writeBody(response: Response, counter: RowCounter, out: string | undefined): Promise<void> {
  const report = new TransferReport(counter);
  const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
  const target: Writable = out ? fs.createWriteStream(out) : process.stdout;
  try {
    await pipeline(body, counter, target);
  } catch (error) {
    report.abandon();
    // The reader of stdout stopped on purpose (`cim export | head`), as Unix tools let it.
    if (!out && (error as NodeJS.ErrnoException).code === 'EPIPE') return;
    if (out) fs.rmSync(out, { force: true });
    throw new CliFailure(`the export stopped after ${counter.rows} rows: ${(error as Error).message}`);
  }
  report.finish(out ?? 'stdout');
}
