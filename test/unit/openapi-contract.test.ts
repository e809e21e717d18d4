import {
  breachOf,
  findOperation,
  problemBreachOf,
  runtimeComponentsOf,
  type ObservedResponse,
} from '../support/openapi-contract';

const committedRuntime = runtimeComponentsOf(undefined);
const contact = {
  _id: '0123456789abcdef01234567',
  first_name: 'Ada',
  createdAt: '2024-05-01T09:00:00.000Z',
  updatedAt: '2024-05-01T09:00:00.000Z',
};
const json = (status: number, body: unknown): ObservedResponse => ({ status, type: 'application/json', body });
const problem = { type: 'urn:cim:problem:contact-not-found', title: 'Not Found', status: 404, detail: 'No contact.' };

function breachOfGetContact(res: ObservedResponse, runtime = committedRuntime) {
  return breachOf(findOperation('get', `/contacts/${contact._id}`)!, res, runtime, true);
}

describe('the OpenAPI check every HTTP test runs', () => {
  it('matches a request to its path, concrete before templated, and operation, HEAD as GET', () => {
    expect(findOperation('get', '/contacts/abc')).toMatchObject({ template: '/contacts/{contact_id}', method: 'get' });
    expect(findOperation('head', '/getSchema')).toMatchObject({ template: '/getSchema', method: 'get' });
    expect(findOperation('post', '/contacts/lookup')).toMatchObject({ template: '/contacts/lookup' });
    expect(findOperation('put', '/contacts/lookup')).toBeUndefined();
    expect(findOperation('get', '/contacts/')).toBeUndefined();
    expect(findOperation('patch', '/getSchema')).toBeUndefined();
    expect(findOperation('get', '/nowhere')).toBeUndefined();
  });

  it('accepts a response the document allows', () => {
    expect(breachOfGetContact(json(200, contact))).toBeUndefined();
    expect(breachOfGetContact({ status: 404, type: 'application/problem+json', body: problem })).toBeUndefined();
  });

  it('names the member a contact has beyond the attributes defined', () => {
    expect(breachOfGetContact(json(200, { ...contact, email: 'ada@example.com' }))).toMatch(
      /must NOT have additional properties/,
    );
  });

  it('judges only members a contact has, not those of Object.prototype', () => {
    const served = structuredClone(committedRuntime) as { Contact: { properties: Record<string, unknown> } };
    Object.assign(served.Contact.properties, { toString: { type: 'string' } });
    expect(breachOfGetContact(json(200, contact), served)).toBeUndefined();
  });

  it('takes a contact with an attribute defined at run time by the served components', () => {
    const served = structuredClone(committedRuntime) as { Contact: { properties: Record<string, unknown> } };
    served.Contact.properties.email = { type: 'string' };
    expect(breachOfGetContact(json(200, { ...contact, email: 'ada@example.com' }), served)).toBeUndefined();
  });

  it('refuses a missing required member, a wrong format, an undocumented status and a wrong media type', () => {
    const { _id: _omitted, ...withoutId } = contact;
    expect(breachOfGetContact(json(200, withoutId))).toMatch(/must have required property '_id'/);
    expect(breachOfGetContact(json(200, { ...contact, createdAt: 'yesterday' }))).toMatch(/must match format/);
    expect(breachOfGetContact(json(418, {}))).toMatch(/status 418 is not documented/);
    expect(breachOfGetContact(json(404, problem))).toMatch(/Content-Type application\/json/);
  });

  it('wants problem details, with their required members, where the document has no operation', () => {
    expect(problemBreachOf({ status: 404, type: 'application/problem+json', body: problem })).toBeUndefined();
    const { detail: _omitted, ...withoutDetail } = problem;
    expect(problemBreachOf({ status: 404, type: 'application/problem+json', body: withoutDetail })).toMatch(
      /required property 'detail'/,
    );
    expect(problemBreachOf({ status: 404, type: 'text/html', body: {}, text: 'Cannot GET' })).toMatch(/text\/html/);
  });
});
