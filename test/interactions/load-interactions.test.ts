import { createContact, defineAttribute, uniqueKey, uniquePhone } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { callIdsOf, endedFields, loadHistory, newCallId, postCall, postLeg, startedLeg } from './interaction-factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** +14155550123 → (415) 555-0123 */
function national(e164: string): string {
  return `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
}

describe('GET /interactions/loadInteractions/{id}', () => {
  it("returns the contact's calls whatever format the ANI came in, newest first, with their legs", async () => {
    const phone = uniquePhone();
    const contact = await createContact(t, { phone1: phone });
    const formats = [
      phone,
      national(phone),
      phone.slice(2),
      `1-${phone.slice(2, 5)}-${phone.slice(5)}`,
      `001${phone.slice(2)}`,
    ];
    const callIds: string[] = [];
    for (const [n, ani] of formats.entries()) callIds.push(await postCall(t, ani, `2024-05-0${n + 1}T10:00:00Z`));
    await postCall(t, uniquePhone(), '2024-05-03T10:00:00Z');
    await postLeg(t, callIds[0], startedLeg({ start_time: '2024-05-01T10:05:00Z', ...endedFields })).expect(200);

    const res = await loadHistory(t, contact._id).expect(200);

    expect(callIdsOf(res)).toEqual([...callIds].reverse());
    expect(res.body[4]).toEqual({
      call_Id: callIds[0],
      phone_number: phone,
      interactions: [
        startedLeg({ start_time: '2024-05-01T10:00:00.000Z' }),
        startedLeg({ start_time: '2024-05-01T10:05:00.000Z', ...endedFields }),
      ],
    });
    expect(res.body[3]).toMatchObject({ phone_number: national(phone) });
  });

  it('includes the calls of every phone attribute of the contact', async () => {
    const mobile = uniqueKey('mobile');
    await defineAttribute(t, { key: mobile, label: 'Mobile', type: 'phone' });
    const [office, cell] = [uniquePhone(), uniquePhone()];
    const contact = await createContact(t, { phone1: office, [mobile]: national(cell) });
    const fromOffice = await postCall(t, office, '2024-06-01T10:00:00Z');
    const fromCell = await postCall(t, cell, '2024-06-02T10:00:00Z');

    const res = await loadHistory(t, contact._id).expect(200);

    expect(callIdsOf(res)).toEqual([fromCell, fromOffice]);
  });

  it('shows a contact the calls it made before it was created', async () => {
    const phone = uniquePhone();
    const earlier = await postCall(t, national(phone), '2024-04-01T10:00:00Z');

    const contact = await createContact(t, { phone1: phone });

    expect(callIdsOf(await loadHistory(t, contact._id).expect(200))).toEqual([earlier]);
  });

  it('shows the calls of the new number once the contact phone changes', async () => {
    const [oldPhone, newPhone] = [uniquePhone(), uniquePhone()];
    const contact = await createContact(t, { phone1: oldPhone });
    await postCall(t, oldPhone, '2024-04-01T10:00:00Z');
    const fromNew = await postCall(t, newPhone, '2024-04-02T10:00:00Z');

    await t.http.put(`/contacts/${contact._id}`).send({ phone1: newPhone }).expect(200);

    expect(callIdsOf(await loadHistory(t, contact._id).expect(200))).toEqual([fromNew]);
  });

  it('orders calls by the start of their earliest leg', async () => {
    const phone = uniquePhone();
    const contact = await createContact(t, { phone1: phone });
    const first = await postCall(t, phone, '2024-03-02T10:00:00Z');
    const second = await postCall(t, phone, '2024-03-03T10:00:00Z');

    await postLeg(t, second, startedLeg({ type: 'IVR', start_time: '2024-03-01T09:59:00Z' })).expect(200);

    expect(callIdsOf(await loadHistory(t, contact._id).expect(200))).toEqual([first, second]);
  });

  it('returns an empty list for a contact without calls', async () => {
    const contact = await createContact(t, { phone1: uniquePhone() });
    await loadHistory(t, contact._id).expect(200, []);
  });

  it('answers 404 for an unknown contact and 400 for a malformed id', async () => {
    const missing = await loadHistory(t, '0123456789abcdef01234567').expect(404);
    expect(missing.body).toMatchObject({ type: 'urn:cim:problem:contact-not-found', status: 404 });
    const malformed = await loadHistory(t, 'not-an-id').expect(400);
    expect(malformed.body.errors).toEqual([{ path: 'params.id', message: expect.stringMatching(/contact id/) }]);
  });
});

describe('GET /interactions/loadInteractions/{id} paging', () => {
  let contactId: string;
  const callIds: string[] = [];
  beforeAll(async () => {
    const phone = uniquePhone();
    contactId = (await createContact(t, { phone1: phone }))._id;
    for (const day of [1, 2, 3, 4, 5]) callIds.unshift(await postCall(t, phone, `2024-02-0${day}T10:00:00Z`));
  });

  it('returns 25 calls unless a limit is given, and pages with before', async () => {
    const all = await loadHistory(t, contactId).expect(200);
    const first = await loadHistory(t, contactId, '?limit=2').expect(200);
    const second = await loadHistory(t, contactId, `?limit=2&before=${callIds[1]}`).expect(200);
    const last = await loadHistory(t, contactId, `?limit=2&before=${callIds[3]}`).expect(200);
    const after = await loadHistory(t, contactId, `?before=${callIds[4]}`).expect(200);

    expect(callIdsOf(all)).toEqual(callIds);
    expect([callIdsOf(first), callIdsOf(second), callIdsOf(last)]).toEqual([
      callIds.slice(0, 2),
      callIds.slice(2, 4),
      callIds.slice(4),
    ]);
    expect(after.body).toEqual([]);
  });

  it('keeps calls that started at the same instant apart by call_Id', async () => {
    const phone = uniquePhone();
    const contact = await createContact(t, { phone1: phone });
    const ids = [newCallId(), newCallId(), newCallId()].sort().reverse();
    for (const id of ids) await postLeg(t, id, startedLeg(), { ani: phone }).expect(200);

    const pages = [];
    let before = '';
    for (let page = 0; page < 3; page++) {
      const res = await loadHistory(t, contact._id, `?limit=1${before}`).expect(200);
      pages.push(...callIdsOf(res));
      before = `&before=${res.body[0].call_Id}`;
    }

    expect(pages).toEqual(ids);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'before=no-such-call', 'page=2'])(
    'rejects ?%s with 400',
    async (query) => {
      const res = await loadHistory(t, contactId, `?${query}`).expect(400);
      expect(res.body).toMatchObject({ type: 'urn:cim:problem:validation-failed', status: 400 });
    },
  );
});
