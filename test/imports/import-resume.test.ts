import { mongo, Types } from 'mongoose';
import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { postImport, rejectsOf, runImport, waitForJob } from './import-support';

let t: TestApp;
let account: string;
beforeAll(async () => {
  t = await startTestApp();
  account = (await defineAttribute(t, { key: uniqueKey('account'), type: 'string', unique: true })).key;
});
afterAll(() => t.close());

const contacts = () => t.db.connection.collection('contacts');

function csvOf(prefix: string, rows: number, badRecord?: number): string {
  const lines = Array.from({ length: rows }, (_, index) =>
    index + 1 === badRecord ? `Bad,not-a-phone,${prefix}-${index + 1}` : `Row${index + 1},,${prefix}-${index + 1}`,
  );
  return `first_name,phone1,${account}\n${lines.join('\n')}\n`;
}

describe('an import interrupted by a crash', () => {
  it('resumes from its checkpoint on another instance: no row lost, none written twice, rejects listed once', async () => {
    const prefix = uniqueKey('acct');
    const csv = csvOf(prefix, 250, 120);
    const first = await runImport(t, csv);
    expect(first.rows).toEqual({ processed: 250, created: 249, updated: 0, unchanged: 0, rejected: 1 });
    // The job's file is deleted just after it completes: a file put back sooner would be deleted with it.
    const jobId = new Types.ObjectId(first.id);
    const chunks = t.db.connection.collection('import_chunks');
    while ((await chunks.countDocuments({ jobId })) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // As a crash in the second batch leaves it: the first batch counted, part of the second written, the file kept.
    const checkpoint = { processed: 100, created: 100, updated: 0, unchanged: 0, rejected: 0 };
    await t.db.connection
      .collection('import_jobs')
      .updateOne({ _id: jobId }, { $set: { status: 'running', rows: checkpoint }, $unset: { finishedAt: '' } });
    await chunks.insertOne({ jobId, seq: 0, data: new mongo.Binary(Buffer.from(csv)) });
    const unwritten = Array.from({ length: 100 }, (_, index) => `${prefix}-${index + 151}`);
    await contacts().deleteMany({ [account]: { $in: unwritten } });

    const second = await startTestApp({ dbName: t.dbName });
    try {
      const resumed = await waitForJob(second, first.id);

      expect(resumed).toMatchObject({ status: 'completed', rows: first.rows });
      const stored = await contacts()
        .find({ [account]: { $regex: `^${prefix}-` } }, { projection: { [account]: 1 } })
        .toArray();
      expect(stored).toHaveLength(249);
      expect(new Set(stored.map((document) => document[account] as string)).size).toBe(249);
      const rejects = (await rejectsOf(second, first.id)).trim().split('\n');
      expect(rejects).toHaveLength(2);
      expect(rejects[1]).toMatch(/^Bad,not-a-phone,.*,121,phone1: /);
    } finally {
      await second.close({ keepDatabase: true });
    }
  });
});

describe('DELETE /imports/{id}', () => {
  it('cancels a job: it stops, keeps the rows it wrote, and never completes', async () => {
    const other = await startTestApp({ dbName: t.dbName });
    const prefix = uniqueKey('cancel');
    const posted = await postImport(other, csvOf(prefix, 3000), 'text/csv').expect(202);

    const cancelled = await other.http.delete(`/imports/${posted.body.id}`).expect(200);
    await other.close({ keepDatabase: true });

    expect(cancelled.body).toMatchObject({ id: posted.body.id, status: 'cancelled' });
    const job = (await t.http.get(`/imports/${posted.body.id}`).expect(200)).body as {
      status: string;
      rows: { created: number };
    };
    expect(job.status).toBe('cancelled');
    expect(await contacts().countDocuments({ [account]: { $regex: `^${prefix}-` } })).toBe(job.rows.created);
    expect(
      await t.db.connection.collection('import_chunks').countDocuments({ jobId: new Types.ObjectId(posted.body.id) }),
    ).toBe(0);
  });

  it('lists jobs newest first, and 404 for an unknown job', async () => {
    const older = await runImport(t, 'first_name\nX\n');
    const newer = await runImport(t, 'first_name\nY\n');

    const page = (await t.http.get('/imports?limit=2').expect(200)).body as { id: string }[];
    const next = (await t.http.get(`/imports?limit=1&before=${newer.id}`).expect(200)).body as { id: string }[];

    expect(page.map((job) => job.id)).toEqual([newer.id, older.id]);
    expect(next.map((job) => job.id)).toEqual([older.id]);
    await t.http.get('/imports/0123456789abcdef01234567').expect(404);
  });
});
