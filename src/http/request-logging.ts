import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request's id (X-Request-Id), set by requestLogging. */
    id: string;
    /** The app's logger, for handlers that log about this request. */
    log: Logger;
  }
}

/**
 * One log line per request when it ends, with its id. Paths and query strings carry names and phone numbers,
 * so only the matched route pattern is logged. Written with pino directly: a child logger per request (pino-http)
 * cost about a tenth of a hot request's CPU.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestIdOf(req);
    const started = performance.now();
    req.id = id;
    req.log = logger;
    res.setHeader('X-Request-Id', id);
    res.once('close', () => {
      const finished = res.writableFinished;
      const level = !finished ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
      const route = res.locals.route;
      logger[level](
        {
          req: { id, method: req.method },
          res: { statusCode: res.statusCode },
          ...(route ? { route } : {}),
          responseTime: Math.round(performance.now() - started),
        },
        finished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
