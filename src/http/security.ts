import cors from 'cors';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config';
import { anonymousAdmin } from '../auth/authenticate';
import { AppError } from './app-error';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      // Agent desktops inside closed networks often reach us over plain HTTP.
      directives: { upgradeInsecureRequests: null },
    },
  });
}

/** Only the configured origins (agent desktop gadgets) may call from a browser page. */
export function corsPolicy(config: Config): RequestHandler {
  return cors({
    origin: config.CIM_CORS_ORIGINS,
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  });
}

/** Per API key (per client address when auth is off); answers 429 problem details with Retry-After. */
export function rateLimitPerKey(config: Config): RequestHandler {
  if (config.CIM_RATE_LIMIT_MAX === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: config.CIM_RATE_LIMIT_WINDOW_MS,
    limit: config.CIM_RATE_LIMIT_MAX,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const keyId = res.locals.principal?.keyId;
      return keyId && keyId !== anonymousAdmin.keyId ? keyId : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, res) => {
      throw new AppError('rate-limited', 'Too many requests; slow down.', {
        status: 429,
        headers: {
          'Retry-After': String(res.getHeader('Retry-After') ?? Math.ceil(config.CIM_RATE_LIMIT_WINDOW_MS / 1000)),
        },
      });
    },
  });
}
