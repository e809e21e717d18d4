import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/** Helmet's headers; they are the same on every response, so helmet runs once and its headers are replayed. */
export function securityHeaders(): RequestHandler {
  const headers = headersSetBy(
    helmet({
      contentSecurityPolicy: {
        // Agent desktops inside closed networks often reach us over plain HTTP.
        directives: { upgradeInsecureRequests: null },
      },
    }),
  );
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

function headersSetBy(middleware: RequestHandler): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  void middleware({} as Request, recorder as unknown as Response, () => undefined);
  return [...headers];
}

/**
 * Only the configured origins (agent desktop gadgets) may call from a browser page. Requests without an Origin
 * (CTI systems, servers) need no CORS answer, only the Vary that keeps caches from mixing the two.
 */
export function corsPolicy(config: Config): RequestHandler {
  const policy = cors({
    origin: config.CIM_CORS_ORIGINS,
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  });
  return (req, res, next) => {
    if (req.headers.origin !== undefined) return policy(req, res, next);
    res.setHeader('Vary', 'Origin');
    next();
  };
}
