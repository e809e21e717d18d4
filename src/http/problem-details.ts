import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, type FieldError } from './app-error';
import { toAppError } from './error-converter';

export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the kind of problem, e.g. urn:cim:problem:contact-not-found'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown().describe('Members of some problems, e.g. contactIds of a 409'))
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details; some problems add members (a 409 names the contacts in the way)',
    examples: [
      {
        type: 'urn:cim:problem:validation-failed',
        title: 'Bad Request',
        status: 400,
        detail: 'The request is not valid.',
        errors: [
          { path: 'type', message: 'is required: one of string, text, number, boolean, date, email, phone, url, enum' },
        ],
      },
    ],
  });

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// A problem never grows with the request: a body of 50,000 unknown keys must not be echoed back key by key.
const maxListedErrors = 50;

function bounded(text: string, maxLength = 200): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

function boundedError({ path, message }: FieldError): FieldError {
  return { path: bounded(path), message: bounded(message) };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError('not-found', `No resource at ${req.method} ${req.path}.`, { status: 404 });
};

/** The one place that writes errors: RFC 9457 problem details, full error logged for 5xx. */
export const problemDetailsHandler: ErrorRequestHandler = (error, req, res, next) => {
  const appError = toAppError(error);
  if (appError.status >= 500) req.log?.error({ req: { id: req.id }, err: appError.cause ?? error }, 'request failed');
  if (res.headersSent) return next(error);
  res.status(appError.status);
  for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
  res.type('application/problem+json');
  res.send(
    JSON.stringify({
      ...appError.details,
      type: `urn:cim:problem:${appError.code}`,
      title: titles[appError.status] ?? 'Error',
      status: appError.status,
      detail: bounded(appError.message, 500),
      ...(appError.errors ? { errors: appError.errors.slice(0, maxListedErrors).map(boundedError) } : {}),
    }),
  );
};
