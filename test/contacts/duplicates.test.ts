import { uniqueTokenOf } from '../../src/attributes/attribute-types';
import { createContact, defineAttribute, uniquePhone, uniqueWord } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

interface Duplicate {
  contact: { _id: string };
  score: number;
  reasons: { kind: string; key: string }[];
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await defineAttribute(t, { key: 'email', type: 'email' });
  await defineAttribute(t, { key: 'customer_no', type: 'string', unique: true });
});
afterAll(() => t.close());

/** A contact with a name and a number no other test uses, so only what a test shares makes duplicates. */
function person(overrides: Record<string, unknown> = {}) {
  return createContact(t, { first_name: uniqueWord('f'), last_name: uniqueWord('l'), ...overrides });
}

async function duplicatesOf(id: string, query = ''): Promise<Duplicate[]> {
  const res = await t.http.get(`/contacts/${id}/duplicates${query}`).expect(200);
  return res.body as Duplicate[];
}

const idsOf = (duplicates: Duplicate[]) => duplicates.map((duplicate) => duplicate.contact._id);

describe('GET /contacts/{contact_id}/duplicates', () => {
  it('finds a contact sharing a phone number typed differently', async () => {
    const phone = uniquePhone();
    const national = `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const contact = await person({ phone1: national });
    const twin = await person({ phone1: phone });

    const duplicates = await duplicatesOf(contact._id);

    expect(duplicates).toEqual([{ contact: twin, score: 0.6, reasons: [{ kind: 'phone', key: phone }] }]);
  });

  it('finds a contact with the same email in another case', async () => {
    const local = uniqueWord('mail');
    const contact = await person({ email: `${local.toUpperCase()}@Example.com` });
    const twin = await person({ email: `${local}@example.com` });

    const duplicates = await duplicatesOf(contact._id);

    expect(duplicates).toEqual([
      { contact: twin, score: 0.6, reasons: [{ kind: 'email', key: `email:${local}@example.com` }] },
    ]);
  });

  it('finds a contact holding the same unique value (a pair stored before the value was claimed)', async () => {
    const value = uniqueWord('C-');
    const contact = await person({ customer_no: value });
    const token = uniqueTokenOf('customer_no', 'string', value);
    await t.db.connection.collection<{ _id: string }>('contact_unique_values').deleteOne({ _id: token });
    const twin = await person({ customer_no: value });

    const duplicates = await duplicatesOf(contact._id);

    expect(duplicates).toEqual([{ contact: twin, score: 0.7, reasons: [{ kind: 'unique', key: token }] }]);
  });

  it('finds a contact with the same full name, accents and case aside', async () => {
    const last = uniqueWord('lopez');
    const contact = await person({ first_name: 'María', last_name: last });
    const twin = await person({ first_name: 'MARIA', last_name: last });

    const duplicates = await duplicatesOf(contact._id);

    expect(duplicates).toEqual([{ contact: twin, score: 0.5, reasons: [{ kind: 'full-name', key: `maria ${last}` }] }]);
  });

  it('finds similar names: typos (Jon Smyth ~ John Smith) and transliteration (Muller ~ Müller)', async () => {
    const stem = uniqueWord('');
    const smyth = await person({ first_name: 'Jon', last_name: `Smyth${stem}` });
    const smith = await person({ first_name: 'John', last_name: `Smith${stem}` });
    const muller = await person({ first_name: 'Ana', last_name: `Muller${stem}` });
    const mueller = await person({ first_name: 'Anna', last_name: `Müller${stem}` });

    const [ofSmyth, ofMuller] = await Promise.all([duplicatesOf(smyth._id), duplicatesOf(muller._id)]);

    expect(ofSmyth).toEqual([
      { contact: smith, score: expect.any(Number), reasons: [{ kind: 'similar-name', key: `john smith${stem}` }] },
    ]);
    expect(ofMuller).toEqual([
      { contact: mueller, score: expect.any(Number), reasons: [{ kind: 'similar-name', key: `anna muller${stem}` }] },
    ]);
    expect(ofSmyth[0].score).toBeGreaterThan(0);
    expect(ofSmyth[0].score).toBeLessThan(0.4);
  });

  it('leaves out unrelated contacts and names that only start alike', async () => {
    const stem = uniqueWord('');
    const contact = await person({ first_name: 'Ann', last_name: `Lee${stem}` });
    await person({ first_name: 'Bob', last_name: `Stone${stem}` });
    await person({ first_name: 'Anastasia', last_name: `Leeuwenhoek${stem}` });

    expect(await duplicatesOf(contact._id)).toEqual([]);
  });

  it('never lists the contact itself', async () => {
    const contact = await person();

    expect(await duplicatesOf(contact._id)).toEqual([]);
  });

  it('lists the best candidates first and stops at limit', async () => {
    const [phone, last] = [uniquePhone(), uniqueWord('order')];
    const email = `${uniqueWord('m')}@example.com`;
    const contact = await person({ first_name: 'Eva', last_name: last, phone1: phone, email });
    const strong = await person({ phone1: phone, email });
    const sameName = await person({ first_name: 'Eva', last_name: last });
    const similarName = await person({ first_name: 'Evan', last_name: last });

    const all = await duplicatesOf(contact._id);
    const best = await duplicatesOf(contact._id, '?limit=1');

    expect(idsOf(all)).toEqual([strong._id, sameName._id, similarName._id]);
    expect(all.map((duplicate) => duplicate.score)).toEqual([0.84, 0.5, expect.any(Number)]);
    expect(all[2].score).toBeLessThan(0.5);
    expect(best).toEqual([all[0]]);
  });

  it('refuses a limit outside 1–25 with 400', async () => {
    const contact = await person();

    for (const limit of ['0', '26', 'ten']) {
      const res = await t.http.get(`/contacts/${contact._id}/duplicates?limit=${limit}`).expect(400);
      expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'query.limit' }] });
    }
  });

  it('answers 404 for an unknown contact, as GET /contacts/{contact_id} does', async () => {
    const unknownId = '0123456789abcdef01234567';

    const res = await t.http.get(`/contacts/${unknownId}/duplicates`).expect(404);

    expect(res.body).toMatchObject({ type: 'urn:cim:problem:contact-not-found', status: 404 });
  });

  it('answers the same read through the driver as from FerretDB’s table', async () => {
    const last = uniqueWord('same');
    const email = `${uniqueWord('m')}@example.com`;
    const contact = await person({ first_name: 'Ida', last_name: last, email });
    await person({ first_name: 'Ida', last_name: last });
    await person({ first_name: 'Idda', last_name: last, email });
    const driver = await startTestApp({ dbName: t.dbName, withoutEnginePostgres: true });
    try {
      const viaDriver = (await driver.http.get(`/contacts/${contact._id}/duplicates`).expect(200)).body;

      expect(viaDriver).toHaveLength(2);
      expect(viaDriver).toEqual(await duplicatesOf(contact._id));
    } finally {
      await driver.close({ keepDatabase: true });
    }
  });
});
