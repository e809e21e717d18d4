import { createContact } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

type Contact = Record<string, unknown> & { _id: string };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const popByAni = async (ani: string) =>
  (await t.http.get('/contacts/lookup').query({ ani }).expect(200)).body as { contacts: Contact[] };

describe('screen pop duplicate hints', () => {
  it('hints two popped contacts sharing the number and the name as duplicates of each other', async () => {
    const first = await createContact(t, { first_name: 'Hana', last_name: 'Novak', phone1: '+14155550301' });
    const second = await createContact(t, { first_name: 'Hana', last_name: 'Novak', phone1: '+14155550301' });
    const reasons = [
      { kind: 'phone', key: '+14155550301' },
      { kind: 'full-name', key: 'hana novak' },
    ];

    const { contacts } = await popByAni('+14155550301');

    expect(contacts).toEqual(
      expect.arrayContaining([
        { ...first, duplicateOf: [{ id: second._id, score: 0.8, reasons }] },
        { ...second, duplicateOf: [{ id: first._id, score: 0.8, reasons }] },
      ]),
    );
    expect(contacts).toHaveLength(2);
  });

  it('gives the same reasons and score as GET /contacts/{id}/duplicates, a similar name included', async () => {
    const jon = await createContact(t, { first_name: 'Jon', last_name: 'Smyth', phone1: '+14155550302' });
    const john = await createContact(t, { first_name: 'John', last_name: 'Smith', phone1: '+14155550302' });

    const { contacts } = await popByAni('+14155550302');
    const duplicates = await t.http.get(`/contacts/${jon._id}/duplicates`).expect(200);

    const poppedJon = contacts.find((contact) => contact._id === jon._id);
    expect(duplicates.body).toHaveLength(1);
    const [{ score, reasons }] = duplicates.body as { score: number; reasons: { kind: string }[] }[];
    expect(reasons.map((reason) => reason.kind)).toEqual(['phone', 'similar-name']);
    expect(poppedJon?.duplicateOf).toEqual([{ id: john._id, score, reasons }]);
  });

  it('hints only the phone when the names differ', async () => {
    const ann = await createContact(t, { first_name: 'Ann', last_name: 'Berg', phone1: '+14155550303' });
    const olaf = await createContact(t, { first_name: 'Olaf', last_name: 'Quist', phone1: '+14155550303' });

    const { contacts } = await popByAni('+14155550303');

    const phone = [{ kind: 'phone', key: '+14155550303' }];
    expect(contacts.find((contact) => contact._id === ann._id)?.duplicateOf).toEqual([
      { id: olaf._id, score: 0.6, reasons: phone },
    ]);
  });

  it('answers a single popped contact without duplicateOf, as API 1.0 did', async () => {
    const only = await createContact(t, { first_name: 'Ida', last_name: 'Lund', phone1: '+14155550304' });

    const res = await t.http.post('/contacts/lookup').send({ ani: '+14155550304' }).expect(200);

    expect(res.body).toEqual({ contacts: [only], matchedOn: [{ key: 'phone', value: '+14155550304', source: 'ani' }] });
  });
});
