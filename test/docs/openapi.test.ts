import { defineAttribute, uniqueKey } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function assetUrls(html: string): string[] {
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => [...tag.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1]));
}

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document with every route of the app', async () => {
    const res = await t.http.get('/openapi.json').expect(200);

    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toMatchObject({
      openapi: '3.1.0',
      info: { version: '1.0.0' },
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    });
    expect(res.body.paths['/health'].get.security).toEqual([]);
    expect(res.body.paths['/getSchema'].get.security).toBeUndefined();
    const documented = Object.entries(res.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(t.cim.routes.map((spec) => `${spec.method} ${spec.path}`).sort());
  });

  it('documents itself and the Swagger UI page under Operations', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);

    expect(body.paths['/openapi.json'].get).toMatchObject({ tags: ['Operations'], operationId: 'getOpenApiDocument' });
    expect(body.paths['/docs'].get).toMatchObject({
      tags: ['Operations'],
      responses: { 200: { content: { 'text/html': { schema: { type: 'string' } } } } },
    });
  });

  it('keeps named zod schemas as components reachable by their $ref', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);

    expect(body.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.any(Array) });
    const refs = JSON.stringify(body).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(ref).toMatch(/^"\$ref":"#\/components\/schemas\/[A-Za-z]+"$/);
  });
});

describe('GET /openapi.json for a reader of /docs', () => {
  type Operation = { description?: string; responses: Record<string, { content?: Record<string, unknown> }> };
  async function operations(): Promise<[string, Operation][]> {
    const { body } = await t.http.get('/openapi.json').expect(200);
    return Object.entries(body.paths as Record<string, Record<string, Operation>>).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]): [string, Operation] => [`${method} ${path}`, operation]),
    );
  }

  it('describes every operation beyond its summary', async () => {
    const undescribed = (await operations()).filter(([, operation]) => !operation.description?.trim());
    expect(undescribed.map(([name]) => name)).toEqual([]);
  });

  it('shows contacts in array answers as the Contact schema, not as free-form objects', async () => {
    const contactLists = [
      'get /getContactList',
      'get /contacts/loadMore/{last_id}',
      'get /contacts/getContactByName/{name}',
      'post /contacts/getContactsBySearchTerms',
    ];
    const byName = new Map(await operations());
    for (const name of contactLists) {
      const schema = byName.get(name)!.responses['200'].content!['application/json'];
      expect([name, schema]).toEqual([
        name,
        { schema: { type: 'array', items: { $ref: '#/components/schemas/Contact' } } },
      ]);
    }
  });

  it('gives every write a prefilled example body, and every upload an example file', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);
    for (const [name, operation] of await operations()) {
      const requestBody = (operation as { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } })
        .requestBody;
      if (!requestBody) continue;
      for (const [mediaType, { schema }] of Object.entries(requestBody.content)) {
        const resolved = schema.$ref ? body.components.schemas[schema.$ref.split('/').pop()!] : schema;
        const example = mediaType === 'application/json' ? expect.any(Object) : expect.any(String);
        expect([name, mediaType, resolved.examples]).toEqual([name, mediaType, [example]]);
      }
    }
  });
});

describe('GET /openapi.json and what the routes answer', () => {
  it('documents the count of erased calls that DELETE /contacts/{contact_id}?erase=true adds', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);

    const deleted = body.paths['/contacts/{contact_id}'].delete.responses[200].content['application/json'].schema;
    expect(deleted).toEqual({ $ref: '#/components/schemas/DeletedContact' });
    expect(body.components.schemas.DeletedContact).toMatchObject({
      additionalProperties: false,
      properties: { _id: expect.any(Object), _erasedInteractions: { type: 'integer', minimum: 0 } },
    });
  });

  it('states the rules schemathesis found a schema-valid request broke', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);
    const { paths } = body;

    const historyId = paths['/interactions/loadInteractions/{id}'].get.parameters.find(
      (parameter: { name: string }) => parameter.name === 'id',
    );
    expect(historyId.schema).toMatchObject({ pattern: '^[0-9a-fA-F]{24}$' });
    const terms = paths['/contacts/getContactsBySearchTerms'].post.requestBody.content['application/json'].schema;
    expect(terms).toMatchObject({ minProperties: 1 });
    const lookup = paths['/contacts/lookup'].post.requestBody.content['application/json'].schema;
    expect(lookup.properties.callVariables.propertyNames).toMatchObject({ pattern: '^[^$]+$' });
    const options = paths['/saveSchema'].post.requestBody.content['application/json'].schema.properties.options;
    expect(options).toMatchObject({ uniqueItems: true });
  });
});

describe('GET /openapi.json and the attribute definitions', () => {
  it('describes a new attribute in the contact schemas as soon as POST /saveSchema answers', async () => {
    const key = uniqueKey('tier');
    const email = uniqueKey('email');
    const before = await t.http.get('/openapi.json').expect(200);

    await defineAttribute(t, { key, label: 'Tier', type: 'enum', options: ['gold', 'silver'] });
    await defineAttribute(t, { key: email, label: 'Work email', type: 'email', required: true });
    const { body } = await t.http.get('/openapi.json').expect(200);

    expect(before.body.components.schemas.Contact.properties[key]).toBeUndefined();
    const { Contact, ContactInput } = body.components.schemas;
    expect(Contact.properties[key]).toMatchObject({ type: 'string', enum: ['gold', 'silver'], title: 'Tier' });
    expect(ContactInput.properties[email]).toMatchObject({
      anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }],
    });
    expect(ContactInput.required).toContain(email);
    expect(Contact.required).toContain(email);
  });
});

describe('GET /openapi.json and the links between operations', () => {
  it('links a created attribute and a created contact to the operations that take their id', async () => {
    const { body } = await t.http.get('/openapi.json').expect(200);

    expect(body.paths['/saveSchema'].post.responses[200].links).toMatchObject({
      UpdateAttribute: { operationId: 'putSchemaSchemaId', parameters: { schema_id: '$response.body#/_id' } },
      DeleteAttribute: { operationId: 'deleteSchemaSchemaId', parameters: { schema_id: '$response.body#/_id' } },
    });
    expect(body.paths['/saveContact'].post.responses[200].links).toMatchObject({
      ContactHistory: { operationId: 'loadInteractions', parameters: { id: '$response.body#/_id' } },
    });
  });
});

describe('GET /openapi.json and the mappings', () => {
  it('offers the keys of the attributes defined right now as a mapping key, a new one at once', async () => {
    const key = uniqueKey('account');
    await defineAttribute(t, { key, type: 'string' });

    const { body } = await t.http.get('/openapi.json').expect(200);

    const mappingInput = body.paths['/mapping'].post.requestBody.content['application/json'].schema;
    expect(mappingInput.properties.key).toEqual({ $ref: '#/components/schemas/AttributeKey' });
    expect(body.components.schemas.AttributeKey.enum).toEqual(
      expect.arrayContaining(['first_name', 'last_name', 'phone1', key]),
    );
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI whose scripts, styles and icons all come from this server', async () => {
    const res = await t.http.get('/docs').expect(200);

    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="swagger-ui">');
    const urls = assetUrls(res.text);
    expect(urls).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']));
    for (const url of urls) {
      expect(url).toMatch(/^\/docs\/[\w.-]+$/);
      const asset = await t.http.get(url);
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
    }
  });

  it('sets Swagger UI up on /openapi.json without any outside service', async () => {
    const res = await t.http.get('/docs/swagger-ui-init.js').expect(200);

    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toContain('"swaggerUrl": "/openapi.json"');
    expect(res.text).toContain('"validatorUrl": null');
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it('serves the same page with a trailing slash', async () => {
    const res = await t.http.get('/docs/').expect(200);
    expect(assetUrls(res.text)).toContain('/docs/swagger-ui-bundle.js');
  });

  it('does not expose the rest of swagger-ui-dist, such as its petstore demo page', async () => {
    await t.http.get('/docs/index.html').expect(404);
    await t.http.get('/docs/swagger-initializer.js').expect(404);
    await t.http.get('/docs/package.json').expect(404);
  });
});
