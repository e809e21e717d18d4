import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from './app-error';
import { fromZodError } from './error-converter';
import type { Permission } from './permission';
import type { RequestContext } from './request-context';

type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A named component of the OpenAPI document whose schema is supplied when the document is built. */
interface ComponentRef {
  component: string;
}
export type DocumentedSchema = z.ZodType | ComponentRef;

interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller and request id, for the audit trail of writes. */
  context: RequestContext;
  req: Request;
  res: Response;
}

/** One endpoint: its contract (for validation and the OpenAPI document) and its handler. */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** OpenAPI style: /contacts/{contact_id} */
  path: string;
  tag: string;
  summary: string;
  /** What the caller's role must grant; read together with the route, reviewed with it. */
  permission: Permission;
  /** What a caller needs to know beyond the summary: shown under each operation in /docs. */
  description: string;
  /** Defaults to the method followed by the path's words (or the path alone when it starts with a verb). */
  operationId?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** How the body is described in the docs when the validator alone does not say it (dynamic shapes). */
  bodyDoc?: DocumentedSchema;
  /** A body the handler reads itself from the request stream (an upload), instead of JSON: media type → example. */
  rawBody?: Record<string, string>;
  response: DocumentedSchema;
  responseDescription?: string;
  /** OpenAPI links from the 200 answer to operations that take a value of it (`$response.body#/_id`). */
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  /** The handler's result is sent as JSON unless another media type is named here. */
  responseMediaType?: 'application/json' | 'text/html' | ['text/csv', 'application/x-ndjson'];
  /** The status of a successful answer: 200 unless the work goes on after it (202). */
  successStatus?: 200 | 202;
  /** Problem statuses this endpoint answers besides 400 for bad input and 500. */
  errors?: number[];
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): unknown;
}

/** Declares a route with its handler's input typed from its schemas. */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec;
}

function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_]+)\}/g, ':$1');
}

/** Middleware a route runs before its handler: authentication, rate limits. */
export type RouteGuards = (spec: RouteSpec) => RequestHandler[];

export function mountRoutes(router: Router, routes: RouteSpec[], guards: RouteGuards = () => []): void {
  // A fixed path answers 405 for its other methods before a parametrised one (PUT /contacts/lookup) can take it.
  const methodsByPath = [...allowedMethodsByPath(routes)];
  const fixedPaths = methodsByPath.filter(([path]) => !path.includes('{'));
  const parametrisedPaths = methodsByPath.filter(([path]) => path.includes('{'));
  mountMethodNotAllowed(router, fixedPaths);
  for (const spec of routes) {
    const markRoute: RequestHandler = (_req, res, next) => {
      res.locals.route = spec.path;
      next();
    };
    router[spec.method](toExpressPath(spec.path), markRoute, ...guards(spec), async (req: Request, res: Response) => {
      if (spec.rawBody) checkRawMediaType(req, Object.keys(spec.rawBody));
      const input = {
        params: parsePart(spec.params, req.params, 'params'),
        query: parsePart(
          querySchemaOf(spec),
          spec.method === 'get' ? withoutCacheBuster(req.query) : req.query,
          'query',
        ),
        body: parsePart(spec.body, bodyOf(req, spec), 'body'),
        context: { requestId: req.id, actor: res.locals.principal },
        req,
        res,
      };
      const result = await spec.handle(input);
      if (res.headersSent) return;
      if (spec.responseMediaType === 'text/html') res.status(200).type('html').send(result);
      else res.status(spec.successStatus ?? 200).json(result);
    });
  }
  mountMethodNotAllowed(router, parametrisedPaths);
}

function checkRawMediaType(req: Request, mediaTypes: string[]): void {
  if (req.is(mediaTypes) === false) {
    throw new AppError('unsupported-media-type', `Send the file as ${mediaTypes.join(' or ')}.`, { status: 415 });
  }
}

// A route that takes input refuses query parameters it does not declare (its query schemas are strict too): a write
// must not go ahead with a parameter the client meant and the route ignored.
const noQuery = z.strictObject({});

/** The cache-buster jQuery adds to a browser gadget's GETs (`_=1717171717171`): ignored, not refused. */
function withoutCacheBuster(query: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(query, '_')) return query;
  return Object.fromEntries(Object.entries(query).filter(([name]) => name !== '_'));
}

function querySchemaOf(spec: RouteSpec): z.ZodType | undefined {
  return spec.query ?? (spec.params || spec.body ? noQuery : undefined);
}

/** The parsed body; a route that takes one refuses an empty body with a message that says so. */
function bodyOf(req: Request, spec: RouteSpec): unknown {
  if (spec.body && (req.body === undefined || req.headers['content-length'] === '0')) {
    throw new AppError(
      'empty-body',
      'The request body is empty: send a JSON object (Content-Type: application/json), as /docs shows for this operation.',
      { status: 400 },
    );
  }
  return req.body;
}

// A missing member says so, instead of zod's "expected string, received undefined"; a schema's own message wins.
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined
    ? 'is required'
    : undefined;

function parsePart(schema: z.ZodType | undefined, value: unknown, location: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? (location === 'body' ? undefined : {}), { error: requiredMessage });
  if (parsed.success) return parsed.data;
  throw fromZodError(parsed.error, location === 'body' ? [] : [location]);
}

function allowedMethodsByPath(routes: RouteSpec[]): Map<string, string[]> {
  const methodsByPath = new Map<string, string[]>();
  for (const spec of routes) {
    const methods = methodsByPath.get(spec.path) ?? [];
    methods.push(spec.method.toUpperCase());
    if (spec.method === 'get') methods.push('HEAD');
    methodsByPath.set(spec.path, methods);
  }
  return methodsByPath;
}

function mountMethodNotAllowed(router: Router, methodsByPath: [string, string[]][]): void {
  for (const [path, methods] of methodsByPath) {
    router.all(toExpressPath(path), (req, _res, next) => {
      if (methods.includes(req.method)) return next();
      const allow = methods.join(', ');
      throw new AppError('method-not-allowed', `${req.method} is not allowed here; use ${allow}.`, {
        status: 405,
        headers: { Allow: allow },
      });
    });
  }
}
