import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError } from './app-error';

const maxDepth = 32;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses JSON bodies; other media types are 415, and hostile shapes are 400 before any route sees them. */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json') && hasBody(req.headers)) {
      throw new AppError('unsupported-media-type', 'Send the request body as application/json.', { status: 415 });
    }
    next();
  };
  const parse = express.json({
    limit,
    strict: false,
    type: 'application/json',
    verify: (_req, _res, buffer) => {
      if (!isUtf8(buffer)) throw badInput('The request body is not valid UTF-8.');
    },
  });
  const inspect: RequestHandler = (req, _res, next) => {
    if (req.path.includes('\0') || /%00/.test(req.originalUrl)) throw badInput('The URL holds a null character.');
    inspectValue(req.query, 0, 'query');
    if (req.body !== undefined) inspectValue(req.body, 0, 'body');
    next();
  };
  return [requireJson, parse, inspect];
}

/** Refuses deep nesting, prototype-polluting keys, keys with `$` (operators) and null characters anywhere. */
function inspectValue(value: unknown, depth: number, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw badInput(`${path} holds a null character.`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= maxDepth) throw badInput(`The input is nested more than ${maxDepth} levels deep.`);
  for (const [key, child] of Object.entries(value)) {
    if (forbiddenKeys.has(key) || key.includes('$') || key.includes('\0')) {
      throw badInput(`${path} has a forbidden key: ${key.slice(0, 40)}`);
    }
    inspectValue(child, depth + 1, `${path}.${key}`);
  }
}

function badInput(message: string): AppError {
  return new AppError('bad-input', message, { status: 400 });
}

function hasBody(headers: NodeJS.Dict<string | string[]>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
