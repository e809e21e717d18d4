import { callIdsOf, loadHistory, postCall } from '../interactions/interaction-factory';
import { createContact, defineAttribute, uniquePhone, uniqueWord } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { rejectsOf, runImport } from '../imports/import-support';

type Contact = Record<string, unknown> & { _id: string };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'email', type: 'email' });
  await defineAttribute(t, { key: 'accountNo', type: 'string', unique: true });
  await defineAttribute(t, { key: 'mobile', type: 'phone' });
});
afterAll(() => t.close());

const person = (overrides: Record<string, unknown> = {}) =>
  createContact(t, { first_name: uniqueWord('f'), last_name: uniqueWord('l'), ...overrides });

const merge = (body: Record<string, unknown>) => t.http.post('/contacts/merge').send(body);

async function merged(body: Record<string, unknown>) {
  const res = await merge(body);
  if (res.status !== 200) throw new Error(`merge failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { contact: Contact; mergedIds: string[]; conflicts: unknown[]; dryRun: boolean };
}

describe('POST /contacts/merge', () => {
  it('fills what the survivor lacks in mergedIds order, keeps its own values, and lists the conflicts', async () => {
    const survivor = await person({ first_name: 'Ann', email: 'ann@example.com' });
    const first = await person({ first_name: 'Anne', mobile: '+14155550111' });
    const second = await person({ mobile: '+14155550122', accountNo: uniqueWord('AC') });

    const answer = await merged({ survivorId: survivor._id, mergedIds: [first._id, second._id] });

    expect(answer).toMatchObject({ mergedIds: [first._id, second._id], dryRun: false });
    expect(answer.contact).toMatchObject({
      _id: survivor._id,
      first_name: 'Ann',
      last_name: survivor.last_name,
      phone1: survivor.phone1,
      email: 'ann@example.com',
      mobile: '+14155550111',
      accountNo: second.accountNo,
      mergedFrom: [
        { id: first._id, phones: expect.arrayContaining([first.phone1, '+14155550111']) },
        { id: second._id, phones: expect.arrayContaining([second.phone1, '+14155550122']) },
      ],
    });
    expect(answer.conflicts).toEqual(
      expect.arrayContaining([
        {
          key: 'first_name',
          values: [
            { contactId: survivor._id, value: 'Ann' },
            { contactId: first._id, value: 'Anne' },
            { contactId: second._id, value: second.first_name },
          ],
          chosenFrom: survivor._id,
        },
        {
          key: 'mobile',
          values: [
            { contactId: first._id, value: '+14155550111' },
            { contactId: second._id, value: '+14155550122' },
          ],
          chosenFrom: first._id,
        },
      ]),
    );
    expect((await t.http.get(`/contacts/${survivor._id}`).expect(200)).body).toEqual(answer.contact);
  });

  it('takes the value fieldSources names where values differ', async () => {
    const survivor = await person({ first_name: 'Jon' });
    const other = await person({ first_name: 'John' });

    const answer = await merged({
      survivorId: survivor._id,
      mergedIds: [other._id],
      fieldSources: { first_name: other._id, phone1: other._id },
    });

    expect(answer.contact).toMatchObject({ first_name: 'John', phone1: other.phone1, last_name: survivor.last_name });
  });

  it('a dry run answers the merge it would make and changes nothing', async () => {
    const survivor = await person();
    const other = await person({ email: 'dry@example.com' });

    const answer = await merged({ survivorId: survivor._id, mergedIds: [other._id], dryRun: true });

    expect(answer).toMatchObject({ dryRun: true, contact: { _id: survivor._id, email: 'dry@example.com' } });
    expect((await t.http.get(`/contacts/${survivor._id}`).expect(200)).body).toEqual(survivor);
    expect((await t.http.get(`/contacts/${other._id}`).expect(200)).body).toEqual(other);
  });

  it('answers 301 to the survivor for a merged id, 409 contact-merged to PUT and DELETE of it', async () => {
    const survivor = await person();
    const other = await person();
    await merged({ survivorId: survivor._id, mergedIds: [other._id] });

    const get = await t.http.get(`/contacts/${other._id}`).redirects(0).expect(301);
    expect(get.headers.location).toBe(`/contacts/${survivor._id}`);
    expect(get.body).toMatchObject({ type: 'urn:cim:problem:contact-merged', mergedInto: survivor._id });
    for (const write of [
      t.http.put(`/contacts/${other._id}`).send({ first_name: 'X' }),
      t.http.delete(`/contacts/${other._id}`),
    ]) {
      expect((await write.expect(409)).body).toMatchObject({
        type: 'urn:cim:problem:contact-merged',
        mergedInto: survivor._id,
      });
    }
  });

  it('never lists, finds or pops a merged contact; screen pop and history find the survivor by its numbers', async () => {
    const lastName = uniqueWord('merge');
    const survivor = await person({ last_name: lastName });
    const loser = await person({ last_name: lastName });
    const callId = await postCall(t, String(loser.phone1), '2024-05-01T09:30:00Z');
    await merged({ survivorId: survivor._id, mergedIds: [loser._id] });

    const byName = await t.http.get(`/contacts/getContactByName/${lastName}`).expect(200);
    const listed = await t.http.get('/getContactList?limit=100').expect(200);
    const popped = await t.http.get(`/contacts/lookup?ani=${encodeURIComponent(String(loser.phone1))}`).expect(200);
    const history = await loadHistory(t, survivor._id).expect(200);

    expect(byName.body.map((contact: Contact) => contact._id)).toEqual([survivor._id]);
    expect(listed.body.map((contact: Contact) => contact._id)).not.toContain(loser._id);
    expect(popped.body.contacts.map((contact: Contact) => contact._id)).toEqual([survivor._id]);
    expect(callIdsOf(history)).toEqual([callId]);
    expect(callIdsOf(await loadHistory(t, loser._id).expect(200))).toEqual([callId]);
  });

  it('moves unique values to the survivor and frees the ones it did not keep', async () => {
    const [kept, lost, taken] = [uniqueWord('K'), uniqueWord('L'), uniqueWord('T')];
    const survivor = await person({ accountNo: kept });
    const loser = await person({ accountNo: lost });
    const lender = await person({ accountNo: taken });
    const withoutOwn = await person();
    await merged({ survivorId: survivor._id, mergedIds: [loser._id] });
    await merged({ survivorId: withoutOwn._id, mergedIds: [lender._id] });

    await t.http.post('/saveContact').send({ first_name: 'Copy', accountNo: kept }).expect(409);
    await t.http.post('/saveContact').send({ first_name: 'Copy', accountNo: taken }).expect(409);
    await t.http.post('/saveContact').send({ first_name: 'Free', accountNo: lost }).expect(200);
    await t.http.put(`/contacts/${withoutOwn._id}`).send({ accountNo: null }).expect(200);
    await t.http.post('/saveContact').send({ first_name: 'Freed', accountNo: taken }).expect(200);
  });

  it('refuses a unique value the survivor would take from a merged contact when another contact holds it', async () => {
    const value = uniqueWord('DUP');
    const holder = await person({ accountNo: value });
    const survivor = await person();
    const other = await person();
    // A pair stored before the value was unique-checked: the merged contact holds it, the claim is the holder's.
    await t.db.connection
      .collection('contacts')
      .updateOne({ _id: new (await import('mongoose')).Types.ObjectId(other._id) }, { $set: { accountNo: value } });

    const res = await merge({ survivorId: survivor._id, mergedIds: [other._id] }).expect(409);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:unique-value-taken' });
    await t.http.get(`/contacts/${other._id}`).expect(200);
    expect((await t.http.get(`/contacts/${holder._id}`).expect(200)).body).toEqual(holder);
  });

  it('refuses merging a contact into itself (400), a merged contact again (409) and an unknown one (404)', async () => {
    const survivor = await person();
    const other = await person();
    await merged({ survivorId: survivor._id, mergedIds: [other._id] });

    await merge({ survivorId: survivor._id, mergedIds: [survivor._id] }).expect(400);
    const again = await merge({ survivorId: survivor._id, mergedIds: [other._id] }).expect(409);
    const asSurvivor = await merge({ survivorId: other._id, mergedIds: [survivor._id] }).expect(409);
    await merge({ survivorId: survivor._id, mergedIds: ['0123456789abcdef01234567'] }).expect(404);

    expect(again.body).toMatchObject({ type: 'urn:cim:problem:contact-merged', mergedInto: survivor._id });
    expect(asSurvivor.body).toMatchObject({ type: 'urn:cim:problem:contact-merged', mergedInto: survivor._id });
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const survivor = await person();
    const other = await person();
    const ids = Array.from({ length: 25 }, (_, index) => `0123456789abcdef0123${String(index).padStart(4, '0')}`);

    for (const body of [
      { survivorId: survivor._id, mergedIds: [] },
      { survivorId: survivor._id, mergedIds: ids },
      { survivorId: survivor._id, mergedIds: [other._id, other._id] },
      { survivorId: survivor._id, mergedIds: [other._id], fieldSources: { first_name: '0123456789abcdef01234567' } },
      { survivorId: survivor._id, mergedIds: [other._id], fieldSources: { nope: other._id } },
      { survivorId: survivor._id, mergedIds: [other._id], fieldSources: { email: other._id } },
      { survivorId: survivor._id, mergedIds: [other._id], extra: true },
    ]) {
      expect((await merge(body)).status).toBe(400);
    }
    expect((await t.http.get(`/contacts/${other._id}`).expect(200)).body).toEqual(other);
    expect((await t.http.get(`/contacts/${survivor._id}`).expect(200)).body).toEqual(survivor);
  });

  it('keeps mergedFrom through a PUT that sends it back, and erases the merged numbers’ calls with the survivor', async () => {
    const survivor = await person();
    const other = await person();
    const callId = await postCall(t, String(other.phone1), '2024-05-02T09:30:00Z');
    const { contact } = await merged({ survivorId: survivor._id, mergedIds: [other._id] });

    const put = await t.http
      .put(`/contacts/${survivor._id}`)
      .send({ ...contact, first_name: 'Renamed', mergedFrom: [] })
      .expect(200);
    const popped = await t.http.get(`/contacts/lookup?ani=${encodeURIComponent(String(other.phone1))}`).expect(200);
    const deleted = await t.http.delete(`/contacts/${survivor._id}?erase=true`).expect(200);

    expect(put.body).toMatchObject({ first_name: 'Renamed', mergedFrom: contact.mergedFrom });
    expect(popped.body.contacts.map((popped: Contact) => popped._id)).toEqual([survivor._id]);
    expect(deleted.body).toMatchObject({ _erasedInteractions: 1 });
    await t.http.get(`/interactions/call/${callId}`).expect(404);
  });

  it('absorbs what a merged contact had absorbed before', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    await merged({ survivorId: b._id, mergedIds: [c._id] });

    const { contact } = await merged({ survivorId: a._id, mergedIds: [b._id] });
    const redirect = await t.http.get(`/contacts/${c._id}`).redirects(0).expect(301);

    expect(contact.mergedFrom).toEqual([
      { id: b._id, phones: [b.phone1, c.phone1] },
      { id: c._id, phones: [c.phone1] },
    ]);
    expect(redirect.headers.location).toBe(`/contacts/${a._id}`);
    const popped = await t.http.get(`/contacts/lookup?ani=${encodeURIComponent(String(c.phone1))}`).expect(200);
    expect(popped.body.contacts.map((found: Contact) => found._id)).toEqual([a._id]);
  });

  it('writes one audit entry: who, survivor, merged ids and the keys taken from each, never values', async () => {
    const survivor = await person();
    const other = await person({ email: 'audited@example.com' });
    await merged({ survivorId: survivor._id, mergedIds: [other._id] });

    const entries = (await t.http.get(`/audit?contactId=${survivor._id}`).expect(200)).body;

    expect(entries.filter((entry: { action: string }) => entry.action === 'merge')).toEqual([
      expect.objectContaining({
        action: 'merge',
        entityId: survivor._id,
        mergedIds: [other._id],
        keysTaken: [{ contactId: other._id, keys: ['email'] }],
        changed: ['email'],
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('audited@example.com');
  });

  it('an NDJSON export imported back after a merge updates the survivor and never brings the merged one back', async () => {
    const survivor = await person();
    const other = await person({ email: 'exported@example.com' });
    const exported = [survivor, other].map((contact) => JSON.stringify({ ...contact, last_name: 'Reimported' }));
    const { contact } = await merged({ survivorId: survivor._id, mergedIds: [other._id] });

    const job = await runImport(t, exported.join('\n'), 'application/x-ndjson', '?mode=upsert&matchOn=_id');

    expect(job).toMatchObject({ status: 'completed', rows: { updated: 1, created: 0, rejected: 1 } });
    expect(await rejectsOf(t, job.id)).toContain(`was merged into ${survivor._id}`);
    await t.http.get(`/contacts/${other._id}`).redirects(0).expect(301);
    expect((await t.http.get(`/contacts/${survivor._id}`).expect(200)).body).toMatchObject({
      last_name: 'Reimported',
      mergedFrom: contact.mergedFrom,
    });
  });

  it('reserves mergedFrom and duplicateOf as attribute keys', async () => {
    for (const key of ['mergedFrom', 'duplicateOf']) {
      await t.http.post('/saveSchema').send({ key, label: key, type: 'string' }).expect(400);
    }
  });

  it('20 concurrent merges over overlapping contacts: no contact ends in two survivors', async () => {
    const contacts = await Promise.all(Array.from({ length: 12 }, () => person({ mobile: uniquePhone() })));
    const ids = contacts.map((contact) => contact._id);
    const requests = Array.from({ length: 20 }, (_, index) => ({
      survivorId: ids[index % 12],
      mergedIds: [ids[(index + 1) % 12], ids[(index + 5) % 12]],
    }));

    const answers = await Promise.all(requests.map((body) => merge(body)));

    expect(answers.every((res) => [200, 409, 503].includes(res.status))).toBe(true);
    const succeeded = answers.filter((res) => res.status === 200).map((res) => res.body);
    expect(succeeded.length).toBeGreaterThan(0);
    const absorbed = succeeded.flatMap((answer) => answer.mergedIds as string[]);
    expect(new Set(absorbed).size).toBe(absorbed.length);
    for (const id of ids) {
      const res = await t.http.get(`/contacts/${id}`).redirects(0);
      const owners = succeeded.filter((answer) => (answer.mergedIds as string[]).includes(id));
      expect(res.status).toBe(owners.length ? 301 : 200);
    }
    for (const answer of succeeded) {
      const survivor = await t.http.get(`/contacts/${answer.contact._id}`).redirects(0);
      if (survivor.status === 200)
        expect(survivor.body.mergedFrom).toEqual(expect.arrayContaining(answer.contact.mergedFrom));
    }
  });
});
