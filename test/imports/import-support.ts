import type { TestApp } from '../support/test-app';
import { asText } from '../support/text-body';

export interface ImportJob {
  id: string;
  status: string;
  format: string;
  mode: string;
  matchOn?: string;
  dryRun: boolean;
  rows: { processed: number; created: number; updated: number; unchanged: number; rejected: number };
  finishedAt?: string;
  error?: string;
}

/** POSTs a file to /imports; the answer as supertest gives it. */
export function postImport(t: TestApp, body: string | Buffer, type: string, query = '') {
  return t.http.post(`/imports${query}`).set('Content-Type', type).send(body);
}

/** Polls the job until it is no longer queued or running. */
export async function waitForJob(t: TestApp, id: string): Promise<ImportJob> {
  for (;;) {
    const job = (await t.http.get(`/imports/${id}`).expect(200)).body as ImportJob;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Uploads a file, expects 202, and waits for the job to end. */
export async function runImport(t: TestApp, body: string | Buffer, type = 'text/csv', query = ''): Promise<ImportJob> {
  const res = await postImport(t, body, type, query).expect(202);
  const job = res.body as ImportJob;
  expect(res.headers.location).toBe(`/imports/${job.id}`);
  return waitForJob(t, job.id);
}

/** The job's rejects as text (CSV or NDJSON). */
export async function rejectsOf(t: TestApp, id: string): Promise<string> {
  const res = await t.http.get(`/imports/${id}/rejects`).buffer(true).parse(asText).expect(200);
  return res.body as string;
}
