import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { AppError } from '../http/app-error';
import { anonymousAdmin } from './authenticate';

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
