import express, { type RequestHandler } from 'express';
import { AppError } from './app-error';

/** Parses JSON bodies; a body in any other media type is refused with 415. */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json') && hasBody(req.headers)) {
      throw new AppError('unsupported-media-type', 'Send the request body as application/json.', { status: 415 });
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: false, type: 'application/json' })];
}

function hasBody(headers: NodeJS.Dict<string | string[]>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
