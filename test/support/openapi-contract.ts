import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Schemas = Record<string, unknown>;
interface Response {
  content?: Record<string, { schema?: unknown }>;
}
interface Operation {
  operationId: string;
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Schemas };
}

const committed = parse(fs.readFileSync(path.resolve(__dirname, '../../openapi.yaml'), 'utf8')) as OpenApiDocument;

/**
 * The components the app builds from the stored attribute definitions. The committed document holds them as a
 * fresh database has them (first_name, last_name, phone1), so a test that defines an attribute gets contacts the
 * committed `Contact` (additionalProperties: false) refuses. Rather than relax them, these are taken from the
 * document the app serves at that moment: a contact must still have exactly the attributes defined right now.
 */
const RUNTIME_COMPONENTS = [
  'Contact',
  'PoppedContact',
  'DeletedContact',
  'ContactInput',
  'ContactPatch',
  'AttributeKey',
];

const DOCUMENT_ID = 'cim-openapi.json';
const PROBLEM_TYPE = 'application/problem+json';

function pointer(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

/** Ajv over the committed document with the given run-time components, compiling each response schema once. */
class DocumentValidators {
  // ownProperties: a contact without the attribute `toString` must not be judged by Object.prototype.toString.
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false, ownProperties: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(runtime: Schemas) {
    addFormats(this.ajv);
    const schemas = { ...committed.components.schemas, ...runtime };
    // Strict mode is off: the document carries OpenAPI's own members and x-cim-type annotations.
    this.ajv.addSchema({ ...committed, components: { ...committed.components, schemas } }, DOCUMENT_ID);
  }

  validate(segments: string[], body: unknown): string | undefined {
    const ref = `${DOCUMENT_ID}#/${pointer(segments)}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate(body) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }
}

const byRuntimeComponents = new Map<string, DocumentValidators>();

function validatorsFor(runtime: Schemas): DocumentValidators {
  const key = JSON.stringify(runtime);
  let validators = byRuntimeComponents.get(key);
  if (!validators) {
    validators = new DocumentValidators(runtime);
    byRuntimeComponents.set(key, validators);
  }
  return validators;
}

export function runtimeComponentsOf(document: OpenApiDocument | undefined): Schemas {
  const schemas = document?.components.schemas ?? committed.components.schemas;
  return Object.fromEntries(RUNTIME_COMPONENTS.map((name) => [name, schemas[name]]));
}

export interface MatchedOperation {
  template: string;
  method: string;
  operation: Operation;
}

const templatedSegments = (template: string) => template.split('/').filter((part) => part.startsWith('{')).length;

/** Documented paths, concrete ones first: OpenAPI matches /contacts/lookup before /contacts/{contact_id}. */
const pathsByConcreteness = Object.keys(committed.paths).sort((a, b) => templatedSegments(a) - templatedSegments(b));

/**
 * The documented operation a request reached: the most concrete path matching segment by segment (`{param}`
 * matching any), then its method. A method that path lacks reached no operation, as in the app (405).
 */
export function findOperation(method: string, pathname: string): MatchedOperation | undefined {
  const segments = pathname.split('/');
  const template = pathsByConcreteness.find((candidate) => {
    const parts = candidate.split('/');
    return (
      parts.length === segments.length &&
      parts.every((part, i) => (part.startsWith('{') ? segments[i] !== '' : part === segments[i]))
    );
  });
  if (template === undefined) return undefined;
  const documented = method === 'head' ? 'get' : method;
  const operation = committed.paths[template][documented];
  return operation && { template, method: documented, operation };
}

export interface ObservedResponse {
  status: number;
  type: string;
  body: unknown;
  text?: string;
}

/** What is wrong with a response to a documented operation, by the given validators; undefined when nothing is. */
export function breachOf(
  matched: MatchedOperation,
  res: ObservedResponse,
  runtime: Schemas,
  withBody: boolean,
): string | undefined {
  const { template, method, operation } = matched;
  const key = operation.responses[String(res.status)] ? String(res.status) : 'default';
  const response = operation.responses[key];
  if (!response)
    return `status ${res.status} is not documented (documented: ${Object.keys(operation.responses).join(',')})`;
  if (!withBody) return undefined;
  if (!response.content) return res.text ? `a body where the document has none: ${res.text.slice(0, 200)}` : undefined;
  if (!response.content[res.type]) {
    return `Content-Type ${res.type || '(none)'} where the document says ${Object.keys(response.content).join(', ')}`;
  }
  // JSON bodies as parsed; other media (text/html, text/csv, NDJSON) as text, which a test's own parser may hold.
  const isJson = res.type === 'application/json' || res.type.endsWith('+json');
  const body = isJson ? res.body : (res.text ?? res.body);
  const segments = ['paths', template, method, 'responses', key, 'content', res.type, 'schema'];
  const errors = validatorsFor(runtime).validate(segments, body);
  return errors && `${errors}\nbody: ${JSON.stringify(body).slice(0, 1000)}`;
}

/** What is wrong with a response that should be problem details (an unknown path, an undocumented method). */
export function problemBreachOf(res: ObservedResponse): string | undefined {
  if (res.type !== PROBLEM_TYPE) return `Content-Type ${res.type || '(none)'} where problem details were due`;
  const errors = validatorsFor(runtimeComponentsOf(undefined)).validate(['components', 'schemas', 'Problem'], res.body);
  return errors && `${errors}\nbody: ${JSON.stringify(res.body).slice(0, 1000)}`;
}
