/**
 * Every "Example HTTP request" of API 1.0 (CIM API documentation, version 1.0.0), in the document's order, with the
 * method, path and body exactly as it shows them: `"string"` wherever it gives no value, `string` for every id.
 * `section` is the document's section number and title.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Body = Record<string, unknown>;
/** An id taken from an earlier answer, written `{contactId}` in a filled-in path. */
export type IdName = 'contactId' | 'attributeId' | 'mappingId';

export interface ExampleRequest {
  section: string;
  method: Method;
  path: string;
  body?: Body;
}

/** What CIM answers the request as shown: 200, or a 400 problem of type `validation-failed` naming the member. */
type ExpectedAnswer = { status: 200 } | { status: 400; field: string };

export interface Example extends ExampleRequest {
  asShown: ExpectedAnswer;
  /** The answer's `_id`, kept for the requests filled in later. */
  yields?: IdName;
}

const contact = { phone1: 'string', first_name: 'string', last_name: 'string' };
const attribute = { label: 'string', key: 'string', type: 'string' };
const mapping = { callVar: 'string', callVariable: 'string', key: 'string', varNumber: 'string' };
const leg = {
  type: 'string',
  agentId: 'string',
  start_time: 'string',
  call_duration: 'string',
  ivr_trail: 'string',
  call_id: 'string',
  call_disposition: 'string',
  team_name: 'string',
  csq: 'string',
  interaction_type: 'string',
  wrap_up: 'string',
};

/**
 * `string` is not an id (ids are 24-hex): 400 naming the path parameter. `"string"` is a fine name, label, key,
 * attribute type (`string`), call variable, leg field and ANI, but it means nothing as a phone number, a `varNumber`
 * (digits) or a `start_time`: 400 naming that member.
 */
export const apiExamples: Example[] = [
  {
    section: '2.1.1 Get Contacts by Name',
    method: 'GET',
    path: '/contacts/getContactByName/string',
    asShown: { status: 200 },
  },
  {
    section: '2.1.2 Get contact by search term',
    method: 'POST',
    path: '/contacts/getContactsBySearchTerms',
    body: { phone: 'string', first_name: 'string' },
    asShown: { status: 400, field: 'phone' },
  },
  {
    section: '2.1.3 Load more contacts',
    method: 'GET',
    path: '/contacts/loadMore/string',
    asShown: { status: 400, field: 'params.last_id' },
  },
  {
    section: '2.1.4 Get user with given ID',
    method: 'GET',
    path: '/contacts/string',
    asShown: { status: 400, field: 'params.contact_id' },
  },
  {
    section: '2.1.5 Update user with give ID',
    method: 'PUT',
    path: '/contacts/string',
    body: contact,
    asShown: { status: 400, field: 'params.contact_id' },
  },
  {
    section: '2.1.6 Delete user with given ID',
    method: 'DELETE',
    path: '/contacts/string',
    asShown: { status: 400, field: 'params.contact_id' },
  },
  { section: '2.1.7 Get list of Contacts', method: 'GET', path: '/getContactList', asShown: { status: 200 } },
  {
    section: '2.1.8 Create a new contact',
    method: 'POST',
    path: '/saveContact',
    body: contact,
    asShown: { status: 400, field: 'phone1' },
  },
  { section: '2.2.1 List attributes of Contact Object', method: 'GET', path: '/getSchema', asShown: { status: 200 } },
  {
    section: '2.2.2 Add a new Attribute to Contact Object',
    method: 'POST',
    path: '/saveSchema',
    body: attribute,
    asShown: { status: 200 },
    yields: 'attributeId',
  },
  {
    section: '2.2.3 Update attribute with give ID',
    method: 'PUT',
    path: '/schema/string',
    body: attribute,
    asShown: { status: 400, field: 'params.schema_id' },
  },
  {
    section: '2.2.4 Delete attribute with given ID',
    method: 'DELETE',
    path: '/schema/string',
    asShown: { status: 400, field: 'params.schema_id' },
  },
  {
    section: '2.3.1 Add condition to search criteria',
    method: 'POST',
    path: '/mapping',
    body: mapping,
    asShown: { status: 400, field: 'varNumber' },
  },
  { section: '2.3.2 Get defined search criteria', method: 'GET', path: '/mapping', asShown: { status: 200 } },
  {
    section: '2.3.3 Update condition with give ID',
    method: 'PUT',
    path: '/mapping/string',
    body: mapping,
    asShown: { status: 400, field: 'params.id' },
  },
  {
    section: '2.3.4 Delete condition with given ID',
    method: 'DELETE',
    path: '/mapping/string',
    asShown: { status: 400, field: 'params.id' },
  },
  {
    section: '2.4.1 Get List of interactions',
    method: 'GET',
    path: '/interactions/loadInteractions/string',
    asShown: { status: 400, field: 'params.id' },
  },
  {
    section: '2.4.2 Add a new interaction to a contact',
    method: 'POST',
    path: '/interactions/updateOrSaveInteractionTree/string',
    body: { interaction: leg, call_Id: 'string', ani: 'string' },
    asShown: { status: 400, field: 'interaction.start_time' },
  },
];

export interface FilledIn extends ExampleRequest {
  yields?: IdName;
}

/** The example of `section` as a seed client sends it: the path with ids of earlier answers, the body's placeholders filled. */
function fillIn(
  section: string,
  { path, body = {}, yields }: { path?: string; body?: Body; yields?: IdName } = {},
): FilledIn {
  const example = apiExamples.find((candidate) => candidate.section.startsWith(`${section} `));
  if (!example) throw new Error(`API 1.0 has no example ${section}`);
  const filledBody = example.body && { ...example.body, ...body };
  return { section: example.section, method: example.method, path: path ?? example.path, body: filledBody, yields };
}

/**
 * The examples not answered 2xx as shown, sent again in the order a seed client goes (define, create, read, update,
 * then delete what depends on others first), each with only what made it fail replaced: every one answers 200.
 */
export const filledInExamples: FilledIn[] = [
  fillIn('2.2.3', { path: '/schema/{attributeId}' }),
  fillIn('2.1.8', { body: { phone1: '4155550100' }, yields: 'contactId' }),
  fillIn('2.1.2', { body: { phone: '4155550100' } }),
  fillIn('2.1.3', { path: '/contacts/loadMore/{contactId}' }),
  fillIn('2.1.4', { path: '/contacts/{contactId}' }),
  fillIn('2.1.5', { path: '/contacts/{contactId}', body: { phone1: '4155550100' } }),
  fillIn('2.3.1', { body: { varNumber: '3' }, yields: 'mappingId' }),
  fillIn('2.3.3', { path: '/mapping/{mappingId}', body: { varNumber: '3' } }),
  fillIn('2.4.2', { body: { interaction: { ...leg, start_time: '2024-05-01T09:30:00Z' } } }),
  fillIn('2.4.1', { path: '/interactions/loadInteractions/{contactId}' }),
  fillIn('2.3.4', { path: '/mapping/{mappingId}' }),
  fillIn('2.1.6', { path: '/contacts/{contactId}' }),
  fillIn('2.2.4', { path: '/schema/{attributeId}' }),
];
