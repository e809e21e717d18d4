import { parse } from 'csv-parse/sync';
import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { asText } from '../support/text-body';

let t: TestApp;
let keys: { note: string; vip: string; score: string };
beforeAll(async () => {
  t = await startTestApp();
  keys = {
    note: (await defineAttribute(t, { key: uniqueKey('note'), type: 'string' })).key,
    vip: (await defineAttribute(t, { key: uniqueKey('vip'), type: 'boolean' })).key,
    score: (await defineAttribute(t, { key: uniqueKey('score'), type: 'number' })).key,
  };
});
afterAll(() => t.close());

/** The export's body as text, whatever its media type (supertest parses only JSON and text/plain itself). */
function exportAs(format: 'csv' | 'ndjson', query = '') {
  return t.http.get(`/contacts/export?format=${format}${query}`).buffer(true).parse(asText);
}

describe('GET /contacts/export', () => {
  it('streams every contact as CSV: _id, the attributes in definition order, the timestamps', async () => {
    const ann = await createContact(t, { [keys.note]: 'plain', [keys.vip]: true, [keys.score]: 7 });

    const res = await exportAs('csv').expect(200);

    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows: Record<string, string>[] = parse(res.body as string, { columns: true });
    const schema = (await t.http.get('/getSchema').expect(200)).body as { key: string }[];
    expect(Object.keys(rows[0])).toEqual([
      '_id',
      ...schema.map((attribute) => attribute.key),
      'createdAt',
      'updatedAt',
    ]);
    expect(rows.find((row) => row._id === ann._id)).toMatchObject({
      first_name: ann.first_name,
      phone1: ann.phone1,
      [keys.note]: 'plain',
      [keys.vip]: 'true',
      [keys.score]: '7',
      createdAt: ann.createdAt,
    });
  });

  it('neutralises text a spreadsheet would run as a formula, and keeps phones and numbers as they are', async () => {
    const formulas = ['=SUM(A1:A9)', '@cmd', '-x+1', '+cmd', '=1+1'];
    const created = await Promise.all(
      formulas.map((note) => createContact(t, { [keys.note]: note, [keys.score]: -5 })),
    );

    const rows: Record<string, string>[] = parse((await exportAs('csv').expect(200)).body as string, { columns: true });

    for (const [index, contact] of created.entries()) {
      const row = rows.find((candidate) => candidate._id === contact._id)!;
      expect(row).toMatchObject({ [keys.note]: `'${formulas[index]}`, [keys.score]: '-5', phone1: contact.phone1 });
      expect(row.phone1).toMatch(/^\+1415\d{7}$/);
    }
  });

  it('streams NDJSON: each line the contact as GET /contacts/{id} answers it', async () => {
    const contact = await createContact(t, { [keys.note]: '=not a formula in JSON' });

    const res = await exportAs('ndjson').expect(200);

    expect(res.headers['content-type']).toBe('application/x-ndjson');
    const lines = (res.body as string)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const read = (await t.http.get(`/contacts/${contact._id}`).expect(200)).body;
    expect(lines.find((line) => line._id === contact._id)).toEqual(read);
  });

  it('exports only the contacts changed at or after updatedSince', async () => {
    const older = await createContact(t);
    const newer = await createContact(t);
    const changed = (
      await t.http
        .put(`/contacts/${newer._id}`)
        .send({ [keys.note]: 'changed' })
        .expect(200)
    ).body;

    const since = encodeURIComponent(changed.updatedAt);
    const lines = ((await exportAs('ndjson', `&updatedSince=${since}`).expect(200)).body as string)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { _id: string });

    expect(lines.map((line) => line._id)).toContain(newer._id);
    expect(lines.map((line) => line._id)).not.toContain(older._id);
  });

  it('refuses an unknown format and a malformed updatedSince with 400', async () => {
    await t.http.get('/contacts/export?format=xlsx').expect(400);
    await t.http.get('/contacts/export?updatedSince=yesterday').expect(400);
  });
});

describe('GET /contacts/export and roles', () => {
  it('is for admins: an agent key gets 403', async () => {
    const agentKey = 'agent-export-key-000000';
    const withKeys = await startTestApp({ env: { CIM_API_KEYS: `admin:admin-export-key-000000,agent:${agentKey}` } });
    try {
      await withKeys.http.get('/contacts/export').set('Authorization', `Bearer ${agentKey}`).expect(403);
    } finally {
      await withKeys.close();
    }
  });
});
