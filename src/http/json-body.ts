import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from './app-error';

const maxDepth = 32;
// Far above any real payload (100 attributes at most); a body of 50,000 keys would keep the event loop busy for seconds.
const maxMembers = 1_000;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
const loneSurrogate = /\p{Surrogate}/u;

/** A route whose handler reads its body itself (an upload) and checks its media type. */
export interface RawBodyRoute {
  method: string;
  /** OpenAPI style: /imports/{import_id} */
  path: string;
}

/** Whether a request goes to one of the routes, their path patterns compiled once. */
function rawBodyMatcher(routes: RawBodyRoute[]): (req: Request) => boolean {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    path: new RegExp(`^${route.path.replace(/\{[A-Za-z_]+\}/g, '[^/]+')}/?$`),
  }));
  return (req) => patterns.some((pattern) => pattern.method === req.method && pattern.path.test(req.path));
}

/**
 * Parses JSON bodies; other media types are 415, and hostile shapes are 400 before any route sees them. A raw-body
 * route gets its stream untouched.
 */
export function jsonBody(limit: string, rawRoutes: RawBodyRoute[] = []): RequestHandler {
  const isRawBodyRoute = rawBodyMatcher(rawRoutes);
  const parse = express.json({
    limit,
    strict: false,
    type: 'application/json',
    verify: (_req, _res, buffer) => {
      if (!isUtf8(buffer)) throw badInput('The request body is not valid UTF-8.');
    },
  });
  const inspect = (req: Request) => {
    if (req.path.includes('\0') || /%00/.test(req.originalUrl)) throw badInput('The URL holds a null character.');
    if (!isPercentEncodedUtf8(req.originalUrl)) throw badInput('The URL is not percent-encoded UTF-8.');
    inspectValue(req.query, 0, 'query');
    if (req.body !== undefined) inspectValue(req.body, 0, 'body');
  };
  // One middleware, not three: most requests (GETs) have no body to parse.
  return (req, res, next) => {
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) {
      inspect(req);
      return next();
    }
    // The route checks the media type itself, after authentication.
    if (isRawBodyRoute(req)) {
      inspect(req);
      return next();
    }
    if (!req.is('application/json') && hasBody(req.headers)) {
      throw new AppError('unsupported-media-type', 'Send the request body as application/json.', { status: 415 });
    }
    parse(req, res, (error?: unknown) => {
      if (error) return next(error);
      try {
        inspect(req);
      } catch (badRequest) {
        return next(badRequest);
      }
      next();
    });
  };
}

/**
 * Refuses deep nesting, huge objects and arrays, prototype-polluting keys, keys with `$` (operators), null characters anywhere, and lone
 * surrogates (JSON escapes such as \ud800 that UTF-8 cannot store: the database would keep U+FFFD instead).
 */
function inspectValue(value: unknown, depth: number, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw badInput(`${path} holds a null character.`);
    if (loneSurrogate.test(value)) throw badInput(`${path} holds a lone UTF-16 surrogate.`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= maxDepth) throw badInput(`The input is nested more than ${maxDepth} levels deep.`);
  const members = Object.entries(value);
  if (members.length > maxMembers) throw badInput(`${path} holds more than ${maxMembers} members.`);
  for (const [key, child] of members) {
    if (forbiddenKeys.has(key) || key.includes('$') || key.includes('\0') || loneSurrogate.test(key)) {
      throw badInput(`${path} has a forbidden key: ${key.slice(0, 40)}`);
    }
    inspectValue(child, depth + 1, `${path}.${key}`);
  }
}

/** Express would answer a path parameter it cannot decode with 500, and the query parser keeps U+FFFD silently. */
function isPercentEncodedUtf8(url: string): boolean {
  try {
    decodeURIComponent(url);
    return true;
  } catch {
    return false;
  }
}

function badInput(message: string): AppError {
  return new AppError('bad-input', message, { status: 400 });
}

function hasBody(headers: NodeJS.Dict<string | string[]>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
