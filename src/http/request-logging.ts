import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

/**
 * One log line per request with its id. Paths and query strings carry names and phone numbers,
 * so only the matched route pattern is logged.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Called when the request starts and again when it ends; the route is known only by then.
    customProps: (_req, res) => {
      const route = (res as unknown as { locals?: { route?: string } }).locals?.route;
      return route ? { route } : {};
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { id: string; method: string }) => ({ id: req.id, method: req.method }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
