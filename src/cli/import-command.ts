import { parseArgs } from 'node:util';
import type { ImportJobResponse } from '../imports/import-job';
import { CliFailure } from './cli-failure';
import { serverOf, urlOf, type CimServer } from './cim-server';
import { openInput, rejectsPathOf } from './import-file';
import { ImportReport } from './import-report';
import { fetchJob, saveRejects, uploadFile } from './import-request';

export const importUsage = `usage: cim import <file> [--mode create|upsert] [--match-on <key>] [--dry-run]
                  [--url <server>] [--key <api key>]

Uploads a contacts file (.csv with a header row of attribute keys, or .ndjson/.jsonl, one object a line) and
follows the import job on the server until it ends.
  --mode      create (the default): a new contact per row; upsert: update the contact matched by --match-on
  --match-on  _id or a unique attribute; required with --mode upsert
  --dry-run   check every row, write nothing
  --url       the CIM server (default: CIM_URL, else http://localhost:3000)
  --key       an admin API key (default: CIM_API_KEY)
Progress shows on stderr when it is a terminal; a summary line always ends on stderr. Rejected rows, with their
line and why, are saved beside the file (contacts.csv → contacts.rejects.csv, replaced if there).
Exit codes: 0 the job completed (even with rejected rows: the summary counts them); 1 the server refused the file,
or the job failed or was cancelled; 2 a usage error. Ctrl-C stops following; the job goes on on the server.`;

const options = {
  mode: { type: 'string' },
  'match-on': { type: 'string' },
  'dry-run': { type: 'boolean' },
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const pollEveryMs = 500;
const ended = (job: ImportJobResponse) => job.status !== 'queued' && job.status !== 'running';

export async function runImport(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseImportArgs(args);
  if (values.help) {
    process.stdout.write(`${importUsage}\n`);
    return;
  }
  if (positionals.length !== 1) throw new CliFailure(`give one file to import\n\n${importUsage}`, 2);
  const server = serverOf(values, env);
  const input = openInput(positionals[0]);
  const report = new ImportReport();
  const stopFollowing = onInterrupt(server, report);
  const upload = await uploadFile(
    server,
    input,
    { mode: values.mode, matchOn: values['match-on'], dryRun: values['dry-run'] ?? false },
    (sent) => report.uploading(sent, input.size),
  ).catch((error: unknown) => {
    report.abandon();
    throw error;
  });
  report.uploaded(upload.fileRows);
  stopFollowing.jobIs(upload.job.id);
  const job = await followJob(server, upload.job, report);
  const rejectsFile = job.rows.rejected > 0 ? rejectsPathOf(input.path) : undefined;
  if (rejectsFile) await saveRejects(server, job.id, rejectsFile);
  report.finish(job, rejectsFile);
  if (job.status === 'failed') throw new CliFailure(`the import failed: ${job.error ?? 'the server gave no reason'}`);
  if (job.status === 'cancelled')
    throw new CliFailure('the import was cancelled on the server; the rows counted as written stay.');
}

function parseImportArgs(args: string[]) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliFailure(`${(error as Error).message}\n\n${importUsage}`, 2);
  }
}

async function followJob(server: CimServer, started: ImportJobResponse, report: ImportReport) {
  let job = started;
  report.following(job);
  while (!ended(job)) {
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    job = await fetchJob(server, job.id);
    report.following(job);
  }
  return job;
}

/** Ctrl-C: before the job exists nothing was imported; after, the job goes on, and the message says how to reach it. */
function onInterrupt(server: CimServer, report: ImportReport) {
  let jobId: string | undefined;
  process.once('SIGINT', () => {
    report.abandon();
    process.stderr.write(jobId ? goesOn(server, jobId) : 'cim: the upload was stopped; nothing was imported.\n');
    process.exit(130);
  });
  return { jobIs: (id: string) => (jobId = id) };
}

function goesOn(server: CimServer, id: string): string {
  const url = urlOf(server, `imports/${id}`).href;
  const auth = '-H "Authorization: Bearer $CIM_API_KEY"';
  return (
    `cim: stopped following import ${id}; it goes on on the server.\n` +
    `  follow it: curl ${auth} ${url}\n` +
    `  cancel it: curl -X DELETE ${auth} ${url}\n`
  );
}
