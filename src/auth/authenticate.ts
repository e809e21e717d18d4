import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/app-error';
import { findApiKey, type ApiKey, type Role } from './api-keys';
import type { Permission } from '../http/permission';
import { roleMay } from './permissions';

export interface Principal {
  role: Role;
  keyId: string;
}

const challenge = { 'WWW-Authenticate': 'Bearer realm="cim", charset="UTF-8"' };

/** Without configured keys auth is off and every caller acts as admin (the server warns at start-up). */
export const anonymousAdmin: Principal = { role: 'admin', keyId: 'auth-disabled' };

function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'];
  return bearer ?? (typeof header === 'string' && header ? header : undefined);
}

/** Checks the caller's key and role for one endpoint; the principal is left in res.locals. */
export function requirePermission(keys: ApiKey[], permission: Permission): RequestHandler {
  return (req, res, next) => {
    if (permission === 'public') return next();
    const principal = keys.length ? identify(keys, req) : anonymousAdmin;
    if (!roleMay(principal.role, permission)) {
      throw new AppError('forbidden', `The ${principal.role} role may not do this (${permission}).`, { status: 403 });
    }
    res.locals.principal = principal;
    next();
  };
}

function identify(keys: ApiKey[], req: Request): Principal {
  const presented = presentedKey(req);
  if (!presented) {
    throw new AppError('unauthenticated', 'Send an API key: Authorization: Bearer <key> or X-API-Key.', {
      status: 401,
      headers: challenge,
    });
  }
  const key = findApiKey(keys, presented);
  if (!key) throw new AppError('unauthenticated', 'The API key is not valid.', { status: 401, headers: challenge });
  return { role: key.role, keyId: key.keyId };
}
