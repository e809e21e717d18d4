import { apiExamples, filledInExamples, type Example, type ExampleRequest, type IdName } from './api-1-0-examples';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ids: Partial<Record<IdName, string>> = {};

function withIds(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_token, name: IdName) => {
    const id = ids[name];
    if (!id) throw new Error(`no earlier answer gave ${name}`);
    return id;
  });
}

async function send({ method, path, body }: ExampleRequest) {
  const request = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](withIds(path));
  return body === undefined ? request : request.send(body);
}

function keepId(name: IdName | undefined, answer: { body: { _id?: string } }) {
  if (name) ids[name] = answer.body._id;
}

function answerName({ asShown }: Example): string {
  return 'field' in asShown ? `400 naming ${asShown.field}` : String(asShown.status);
}

// The tests run in the order below, on one fresh database: each may use ids an earlier answer gave.
describe('API 1.0 example requests, exactly as the document shows them, on a fresh database', () => {
  it.each(
    apiExamples.map(
      (example) => [example.section, example.method, example.path, answerName(example), example] as const,
    ),
  )('%s: %s %s answers %s', async (_section, _method, _path, _answer, example) => {
    const answer = await send(example);

    expect(answer.status).toBe(example.asShown.status);
    if ('field' in example.asShown) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        type: 'urn:cim:problem:validation-failed',
        status: 400,
        detail: expect.any(String),
        errors: [{ path: example.asShown.field, message: expect.any(String) }],
      });
    }
    keepId(example.yields, answer);
  });
});

describe('the same examples as a seed client fills them in: ids from earlier answers, values that mean something', () => {
  it.each(filledInExamples.map((example) => [example.section, example.method, example.path, example] as const))(
    '%s: %s %s answers 200',
    async (_section, _method, _path, example) => {
      const answer = await send(example);

      expect({ status: answer.status, problem: answer.status === 200 ? undefined : answer.body }).toEqual({
        status: 200,
        problem: undefined,
      });
      keepId(example.yields, answer);
    },
  );

  it('deleted the contact, mapping and attribute they created, and kept the call (calls are records)', async () => {
    expect((await t.http.get('/getContactList').expect(200)).body).toEqual([]);
    expect((await t.http.get('/mapping').expect(200)).body).toEqual([]);
    const schema = (await t.http.get('/getSchema').expect(200)).body as { key: string }[];
    expect(schema.map((attribute) => attribute.key)).toEqual(['first_name', 'last_name', 'phone1']);
    const call = await t.http.get('/interactions/call/string').expect(200);
    expect(call.body).toMatchObject({ call_Id: 'string', phone_number: 'string', interactions: [{ csq: 'string' }] });
  });
});
