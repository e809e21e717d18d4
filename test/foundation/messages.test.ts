import { createContact, defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('messages a newcomer can act on', () => {
  it.each([
    ['post', '/saveContact'],
    ['post', '/saveSchema'],
    ['post', '/mapping'],
    ['put', '/contacts/aaaaaaaaaaaaaaaaaaaaaaaa'],
  ] as const)('says the body is empty on %s %s, with or without a JSON content type', async (method, path) => {
    for (const request of [t.http[method](path), t.http[method](path).set('Content-Type', 'application/json')]) {
      const res = await request.expect(400);
      expect(res.body).toMatchObject({
        type: 'urn:cim:problem:empty-body',
        detail: expect.stringMatching(/^The request body is empty/),
      });
    }
  });

  it('says which members are missing, not which types zod expected', async () => {
    const res = await t.http.post('/saveSchema').send({ label: 'Account' }).expect(400);
    expect(res.body.errors).toEqual([
      { path: 'key', message: 'is required' },
      { path: 'type', message: expect.stringMatching(/^is required: one of string, text, .*enum$/) },
    ]);
    const mapping = await t.http.post('/mapping').send({ key: 'first_name' }).expect(400);
    expect(mapping.body.errors).toEqual([{ path: 'callVariable', message: 'is required' }]);
    // A member that takes a string or a number (a leg's type and start_time) says so too, not zod's "Invalid input".
    const leg = await t.http
      .post('/interactions/updateOrSaveInteractionTree/msg-call-1')
      .send({ ani: '+14155550100', interaction: { agentId: 'a1' } })
      .expect(400);
    expect(leg.body.errors).toEqual([
      { path: 'interaction.type', message: 'is required' },
      { path: 'interaction.start_time', message: 'is required' },
    ]);
  });

  it('still says what a wrong type must be', async () => {
    const res = await t.http.post('/saveSchema').send({ key: 'k1', label: 'K', type: 'integer' }).expect(400);
    expect(res.body.errors).toEqual([{ path: 'type', message: expect.stringMatching(/^must be one of string/) }]);
  });

  it('gives the line and column where malformed JSON breaks, without quoting the body', async () => {
    const body = '{\n  "first_name": "Ann"\n  "last_name": "Secret"\n}';
    const res = await t.http.post('/saveContact').set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.body).toMatchObject({
      type: 'urn:cim:problem:malformed-json',
      detail: 'The request body is not valid JSON: it breaks at line 3, column 3 (character 27).',
      line: 3,
      column: 3,
    });
    expect(JSON.stringify(res.body)).not.toContain('Secret');
  });

  it('names the enum options still in use when a change would remove them, and changes nothing', async () => {
    const key = uniqueKey('segment');
    const segment = await defineAttribute(t, { key, type: 'enum', options: ['Retail', 'Gold', 'Silver', 'Bronze'] });
    await createContact(t, { [key]: 'Gold' });
    await createContact(t, { [key]: 'Silver' });

    const res = await t.http
      .put(`/schema/${segment._id}`)
      .send({ options: ['Retail'] })
      .expect(409);

    expect(res.body).toMatchObject({ violations: 2, optionsInUse: ['Gold', 'Silver'] });
    expect(res.body.detail).toContain('they hold Gold, Silver, which the change removes');
    const schema = (await t.http.get('/getSchema').expect(200)).body as { key: string; options?: string[] }[];
    expect(schema.find((attribute) => attribute.key === key)?.options).toEqual(['Retail', 'Gold', 'Silver', 'Bronze']);
  });

  it('does not quote contact values when a new type refuses them', async () => {
    const key = uniqueKey('tier');
    const tier = await defineAttribute(t, { key, type: 'string' });
    await createContact(t, { [key]: 'private words' });

    const res = await t.http
      .put(`/schema/${tier._id}`)
      .send({ type: 'enum', options: ['A'] })
      .expect(409);

    expect(res.body.optionsInUse).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('private words');
  });
});
