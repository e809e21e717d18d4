import { Types } from 'mongoose';
import { createAudit } from '../../src/audit';
import type { AuditFacts } from '../../src/audit/audit-trail';
import { auditModel } from '../../src/audit/audit.model';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const request = { requestId: 'audit-retry-test', actor: { role: 'admin', keyId: 'key-test' } };

function createFacts(id: Types.ObjectId): AuditFacts {
  return {
    action: 'create',
    resource: 'contacts',
    entityId: String(id),
    contactId: String(id),
    changed: ['first_name'],
  };
}

/** An attempt that wrote its entry and then died before its change finished (the process was killed). */
async function crashedAttempt(trail: Awaited<ReturnType<typeof createAudit>>['trail'], entryId: Types.ObjectId) {
  let changeBegun: () => void = () => {};
  const begun = new Promise<void>((resolve) => (changeBegun = resolve));
  void trail.record(
    request,
    createFacts(entryId),
    () => {
      changeBegun();
      return new Promise<never>(() => {});
    },
    { entryId },
  );
  await begun;
}

describe('audit entries of a change a retry repeats', () => {
  it('keeps one entry when a retry after a crash runs the change again with the same entry id', async () => {
    const { trail } = await createAudit(t.db.connection);
    const entryId = new Types.ObjectId();
    await crashedAttempt(trail, entryId);

    await expect(
      trail.record(request, createFacts(entryId), () => Promise.resolve('created'), { entryId }),
    ).resolves.toBe('created');

    const entries = await auditModel(t.db.connection)
      .find({ entityId: String(entryId) })
      .lean();
    expect(entries).toMatchObject([{ _id: entryId, action: 'create', resource: 'contacts' }]);
  });

  it('withdraws the entry when the retried change fails', async () => {
    const { trail } = await createAudit(t.db.connection);
    const entryId = new Types.ObjectId();
    await crashedAttempt(trail, entryId);

    const failing = trail.record(request, createFacts(entryId), () => Promise.reject(new Error('insert failed')), {
      entryId,
    });

    await expect(failing).rejects.toThrow('insert failed');
    expect(await auditModel(t.db.connection).countDocuments({ entityId: String(entryId) })).toBe(0);
  });
});
