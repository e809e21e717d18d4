import type { TestApp } from '../support/test-app';
import type { Body } from './body-builders';

/** The parts of JSON Schema the served API document uses for parameters and bodies. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: JsonSchema;
}

export interface Operation {
  parameters: Parameter[];
  body?: JsonSchema;
}

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** One value of each JSON type, for the types a field does not take. */
const valueOfType: Record<JsonType, unknown> = {
  string: 'x',
  number: 42,
  boolean: true,
  object: { a: 1 },
  array: ['x'],
  null: null,
};

/**
 * The served /openapi.json: built from each route's zod schemas, and for contacts from the stored attribute
 * definitions, so the cases below follow the contract the server itself publishes.
 */
export async function loadContract(t: TestApp) {
  const document = (await t.http.get('/openapi.json').expect(200)).body as {
    paths: Record<
      string,
      Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
    >;
    components: { schemas: Record<string, JsonSchema> };
  };
  const resolve = (schema: JsonSchema): JsonSchema =>
    schema.$ref ? resolve(document.components.schemas[schema.$ref.split('/').pop()!]) : schema;

  /** The JSON types a schema accepts; undefined when it accepts anything. */
  function typesOf(schema: JsonSchema): Set<JsonType> | undefined {
    const resolved = resolve(schema);
    const alternatives = resolved.anyOf ?? resolved.oneOf;
    if (alternatives) {
      const sets = alternatives.map(typesOf);
      return sets.some((set) => !set) ? undefined : new Set(sets.flatMap((set) => [...set!]));
    }
    if (resolved.type) {
      const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type];
      return new Set(types.map((type) => (type === 'integer' ? 'number' : type) as JsonType));
    }
    if (resolved.enum)
      return new Set(resolved.enum.map((value) => (value === null ? 'null' : typeof value) as JsonType));
    return undefined;
  }

  /** The schema of the member `key` of an object schema, or of an element of an array schema. */
  function memberSchema(schema: JsonSchema, key: string): JsonSchema | undefined {
    const resolved = resolve(schema);
    const alternatives = (resolved.anyOf ?? resolved.oneOf)?.map(resolve);
    const withMembers = alternatives?.find((alternative) => alternative.properties || alternative.items) ?? resolved;
    if (withMembers.items) return /^\d+$/.test(key) ? withMembers.items : undefined;
    const additional = withMembers.additionalProperties;
    return withMembers.properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
  }

  /**
   * Every field the schema declares or the base body holds, at any depth, each with a value of every JSON type
   * the field does not take. `nullAllowed` covers bodies where null means "no value" though the document says no.
   */
  function wrongTypes(schema: JsonSchema, base: unknown, nullAllowed = false, path: string[] = []) {
    const cases: { path: string[]; value: unknown; name: string }[] = [];
    const resolved = resolve(schema);
    const declared = Object.keys(
      resolve(resolved.anyOf?.find((s) => resolve(s).properties) ?? resolved).properties ?? {},
    );
    // An array's first element stands for them all.
    const present = Array.isArray(base)
      ? ['0'].slice(0, base.length)
      : base && typeof base === 'object'
        ? Object.keys(base)
        : [];
    for (const key of new Set([...declared, ...present])) {
      const field = memberSchema(resolved, key);
      const types = field && typesOf(field);
      if (!field || !types) continue;
      for (const [type, value] of Object.entries(valueOfType) as [JsonType, unknown][]) {
        if (types.has(type) || (type === 'null' && nullAllowed)) continue;
        cases.push({ path: [...path, key], value, name: `${[...path, key].join('.')} as ${type}` });
      }
      const child = (base as Body | undefined)?.[key];
      cases.push(...wrongTypes(field, child, nullAllowed, [...path, key]));
    }
    return cases;
  }

  return {
    operation(method: string, path: string): Operation {
      const operation = document.paths[path][method];
      const body = operation.requestBody?.content['application/json']?.schema;
      return { parameters: operation.parameters ?? [], body: body && resolve(body) };
    },
    typesOf,
    wrongTypes,
  };
}

export type Contract = Awaited<ReturnType<typeof loadContract>>;

/** Values a query parameter's schema refuses: given twice, not a number, out of range, too long, off pattern. */
export function invalidQueryValues(parameter: Parameter, valid: string): (string | string[])[] {
  const { type, minimum, maximum, enum: options, pattern, minLength, maxLength } = parameter.schema;
  const values: (string | string[])[] = [[valid, valid]];
  if (type === 'number' || type === 'integer') values.push('abc', '1.5', '');
  if (minimum !== undefined) values.push(String(minimum - 1));
  if (maximum !== undefined) values.push(String(maximum + 1));
  if (options) values.push('not-an-option');
  if (pattern) values.push('!');
  if (minLength) values.push('');
  if (maxLength !== undefined) values.push('x'.repeat(maxLength + 1));
  return values;
}
