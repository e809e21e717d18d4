import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { problemSchema } from './problem-details';
import { assertLinksResolve, assertUniqueOperationIds, operationIdOf } from './operation-ids';
import type { DocumentedSchema, RouteSpec } from './route';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  version: string;
  /** Schemas named by routes' ComponentRefs, e.g. the contact shape built from the attribute definitions. */
  components: Record<string, JsonSchema>;
}

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
/** A record that lives on under another id (a merged contact): Location names it; the body says why. */
const movedResponse = {
  description: 'Moved: the record lives on at Location',
  headers: { Location: { description: 'The path of the record it lives on in', schema: { type: 'string' } } },
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { const: 301 },
          detail: { type: 'string' },
          mergedInto: { type: 'string', description: 'The id it lives on under' },
        },
        required: ['type', 'status'],
      },
    },
  },
};

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // zod leaves out the examples of a schema that transforms, unsure which side they show; ours show input.
    override: ({ zodSchema, jsonSchema }) => {
      const examples = z.globalRegistry.get(zodSchema as unknown as z.ZodType)?.examples;
      if (io === 'input' && examples && !jsonSchema.examples) jsonSchema.examples = examples as unknown[];
    },
  }) as JsonSchema;
  return rest;
}

/** Builds the OpenAPI 3.1 document from the same route specs that validate requests. */
export function buildOpenApiDocument(routes: RouteSpec[], options: OpenApiOptions): JsonSchema {
  const schemas = new ComponentSchemas(options.components);
  schemas.convert(problemSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    paths[spec.path] = { ...paths[spec.path], [spec.method]: describeOperation(spec, schemas) };
  }
  assertUniqueOperationIds(routes);
  assertLinksResolve(routes);
  return {
    openapi: '3.1.0',
    info: {
      title: 'CIM — Customer Interaction Management API',
      version: options.version,
      description:
        'Contacts whose attributes admins define at run time, caller search and screen pop, and call interaction trees. ' +
        'Errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [
      { name: 'Contacts', description: 'Contacts in the system' },
      { name: 'Schema', description: 'The attributes of the contact object' },
      { name: 'Mapping', description: 'Call-variable conditions that find the caller' },
      { name: 'Interactions', description: 'Call interaction trees posted by CTI systems' },
      { name: 'Webhooks', description: 'Signed event deliveries to the systems around CIM' },
      { name: 'Operations', description: 'Liveness, readiness and this document' },
    ],
    paths,
    components: {
      schemas: schemas.all(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from CIM_API_KEYS' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key, as a header' },
      },
    },
  };
}

/**
 * The document's named schemas. zod puts schemas named with `.meta({ id })` in a local `$defs`, whose
 * `#/$defs/...` refs would resolve against the document root; they are hoisted into components instead.
 */
class ComponentSchemas {
  private readonly named = new Map<string, JsonSchema>();

  constructor(private readonly runtime: Record<string, JsonSchema>) {}

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $defs, ...rest } = toJsonSchema(schema, io);
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.add(name, pointDefsAtComponents(definition) as JsonSchema);
    }
    return pointDefsAtComponents(rest) as JsonSchema;
  }

  ref(name: string): JsonSchema {
    if (!this.runtime[name] && !this.named.has(name)) {
      throw new Error(`A route documents component ${name}, which the components provider did not supply`);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  all(): Record<string, JsonSchema> {
    return { ...Object.fromEntries(this.named), ...this.runtime };
  }

  private add(name: string, definition: JsonSchema): void {
    // A zod schema named like a run-time component stands for it (AttributeKey: the keys defined right now).
    if (this.runtime[name]) return;
    const known = this.named.get(name);
    if (known && !isDeepStrictEqual(known, definition)) {
      throw new Error(`Two different schemas are named ${name} in the OpenAPI document; give each its own meta id`);
    }
    this.named.set(name, definition);
  }
}

function pointDefsAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointDefsAtComponents);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      key === '$ref' && typeof item === 'string'
        ? [key, item.replace(/^#\/\$defs\//, '#/components/schemas/')]
        : [key, pointDefsAtComponents(item)],
    ),
  );
}

function describeOperation(spec: RouteSpec, schemas: ComponentSchemas): Record<string, unknown> {
  const parameters = [...describeParameters(spec.params, 'path'), ...describeParameters(spec.query, 'query')];
  const bodySchema = spec.bodyDoc ?? spec.body;
  const errorStatuses = new Set([
    ...(spec.params || spec.query || spec.body ? [400] : []),
    ...(spec.errors ?? []),
    500,
  ]);
  // Any request may carry a body: one too large, or not JSON, is refused before the route, whether it takes one or not.
  errorStatuses.add(413).add(415);
  const isPublic = spec.permission === 'public';
  // 503: the database is unreachable, or a record stays locked by a write on another instance (busy).
  if (!isPublic) errorStatuses.add(401).add(403).add(429).add(503);
  return {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: operationIdOf(spec),
    ...(isPublic ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.rawBody ? { requestBody: rawRequestBody(spec.rawBody) } : {}),
    ...(bodySchema
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: documented(bodySchema, 'input', schemas) } },
          },
        }
      : {}),
    responses: {
      [spec.successStatus ?? 200]: {
        description: spec.responseDescription ?? 'OK',
        content: Object.fromEntries(
          [spec.responseMediaType ?? 'application/json']
            .flat()
            .map((mediaType) => [mediaType, { schema: documented(spec.response, 'output', schemas) }]),
        ),
        ...(spec.links ? { links: spec.links } : {}),
      },
      ...Object.fromEntries(
        [...errorStatuses]
          .sort()
          .map((status) => [
            status,
            status === 301 ? movedResponse : { description: 'Problem details', content: problemContent },
          ]),
      ),
    },
  };
}

function rawRequestBody(examples: Record<string, string>) {
  const content = Object.entries(examples).map(([mediaType, example]): [string, JsonSchema] => [
    mediaType,
    { schema: { type: 'string', description: 'The file itself', examples: [example] } },
  ]);
  return { required: true, content: Object.fromEntries(content) };
}

function documented(schema: DocumentedSchema, io: 'input' | 'output', schemas: ComponentSchemas): JsonSchema {
  return 'component' in schema ? schemas.ref(schema.component) : schemas.convert(schema, io);
}

function describeParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const objectSchema = toJsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(objectSchema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    const examples = propertySchema.examples as unknown[] | undefined;
    return {
      name,
      in: location,
      required: location === 'path' || (objectSchema.required ?? []).includes(name),
      ...(description ? { description } : {}),
      // Swagger UI prefills "Try it out" from a parameter's example.
      ...(examples?.length ? { example: examples[0] } : {}),
      schema: propertySchema,
    };
  });
}
