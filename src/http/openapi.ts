import { z } from 'zod';
import { problemSchema } from './problem-details';
import type { DocumentedSchema, RouteSpec } from './route';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  version: string;
  /** Schemas named by routes' ComponentRefs, e.g. the contact shape built from the attribute definitions. */
  components: Record<string, JsonSchema>;
}

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** Builds the OpenAPI 3.1 document from the same route specs that validate requests. */
export function buildOpenApiDocument(routes: RouteSpec[], options: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    paths[spec.path] = { ...paths[spec.path], [spec.method]: describeOperation(spec) };
  }
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
    tags: [
      { name: 'Contacts', description: 'Contacts in the system' },
      { name: 'Schema', description: 'The attributes of the contact object' },
      { name: 'Mapping', description: 'Call-variable conditions that find the caller' },
      { name: 'Interactions', description: 'Call interaction trees posted by CTI systems' },
      { name: 'Operations', description: 'Liveness, readiness and this document' },
    ],
    paths,
    components: {
      schemas: { Problem: toJsonSchema(problemSchema, 'output'), ...options.components },
    },
  };
}

function describeOperation(spec: RouteSpec): Record<string, unknown> {
  const parameters = [...describeParameters(spec.params, 'path'), ...describeParameters(spec.query, 'query')];
  const bodySchema = spec.bodyDoc ?? spec.body;
  const errorStatuses = new Set([
    ...(spec.params || spec.query || spec.body ? [400] : []),
    ...(spec.errors ?? []),
    500,
  ]);
  if (spec.body) errorStatuses.add(413).add(415);
  return {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: operationIdOf(spec),
    ...(parameters.length ? { parameters } : {}),
    ...(bodySchema
      ? {
          requestBody: { required: true, content: { 'application/json': { schema: documented(bodySchema, 'input') } } },
        }
      : {}),
    responses: {
      200: {
        description: spec.responseDescription ?? 'OK',
        content: { 'application/json': { schema: documented(spec.response, 'output') } },
      },
      ...Object.fromEntries(
        [...errorStatuses]
          .sort()
          .map((status) => [status, { description: 'Problem details', content: problemContent }]),
      ),
    },
  };
}

function documented(schema: DocumentedSchema, io: 'input' | 'output'): JsonSchema {
  return 'component' in schema ? { $ref: `#/components/schemas/${schema.component}` } : toJsonSchema(schema, io);
}

function describeParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const objectSchema = toJsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(objectSchema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (objectSchema.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function operationIdOf(spec: RouteSpec): string {
  const words = spec.path
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/[{}]/g, '').replace(/_([a-z])/gi, (_, c: string) => c.toUpperCase()));
  const name = words.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
  return `${spec.method}${name[0].toUpperCase()}${name.slice(1)}`;
}
