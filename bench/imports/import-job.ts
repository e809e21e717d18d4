import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { ServerProcess } from '../servers/launch';
import { memoryOf } from '../servers/process-stats';

export interface ImportRun {
  rows: number;
  status: string;
  counts: Record<string, number>;
  /** From the first byte sent to the job's end, as an admin waits for it. */
  seconds: number;
  rowsPerSecond: number;
  uploadSeconds: number;
  peakRssMb: number;
}

interface JobAnswer {
  id: string;
  status: string;
  rows: Record<string, number> & { processed: number };
  error?: string;
}

/** Streams the file to POST /imports; resolves to the job once the upload is stored. */
async function uploadImport(server: ServerProcess, apiKey: string, filePath: string, query: string) {
  const bytes = fs.statSync(filePath).size;
  const res = await fetch(`${server.url}/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
    body: Readable.toWeb(fs.createReadStream(filePath, { highWaterMark: 64 * 1024 })),
    duplex: 'half',
  });
  if (res.status !== 202) throw new Error(`POST /imports answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as JobAnswer;
}

async function jobOf(server: ServerProcess, apiKey: string, id: string): Promise<JobAnswer> {
  const res = await fetch(`${server.url}/imports/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!res.ok) throw new Error(`GET /imports/${id} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as JobAnswer;
}

const finished = (status: string) => status !== 'queued' && status !== 'running';

/**
 * Uploads a file and polls its job to the end (or cancels it `stopAfterS` after the upload), sampling our server's
 * memory all along. A job that fails, or rejects rows the bench meant to be valid, throws: its rate would lie.
 */
export async function runImport(
  server: ServerProcess,
  apiKey: string,
  filePath: string,
  query: string,
  stopAfterS = Infinity,
): Promise<ImportRun> {
  let peakRssMb = memoryOf(server.pid).rssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, memoryOf(server.pid).rssMb)), 100);
  const started = performance.now();
  try {
    let job: JobAnswer = await uploadImport(server, apiKey, filePath, query);
    const uploadSeconds = (performance.now() - started) / 1000;
    while (!finished(job.status)) {
      if ((performance.now() - started) / 1000 - uploadSeconds > stopAfterS) {
        await fetch(`${server.url}/imports/${job.id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${apiKey}` },
        });
        job = await jobOf(server, apiKey, job.id);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = await jobOf(server, apiKey, job.id);
    }
    const seconds = (performance.now() - started) / 1000;
    if (job.status === 'failed') throw new Error(`the import failed: ${job.error}`);
    if (job.rows.rejected) throw new Error(`the import rejected ${job.rows.rejected} rows of the bench's valid file`);
    return {
      rows: job.rows.processed,
      status: job.status,
      counts: job.rows,
      seconds,
      rowsPerSecond: job.rows.processed / seconds,
      uploadSeconds,
      peakRssMb,
    };
  } finally {
    clearInterval(sampler);
  }
}
