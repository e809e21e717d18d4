import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT's auto: readable lines for a person at a terminal, JSON lines for a collector. */
export function resolveLogFormat(setting: 'auto' | LogFormat, isTTY = Boolean(process.stdout.isTTY)): LogFormat {
  if (setting !== 'auto') return setting;
  return isTTY ? 'pretty' : 'json';
}

/**
 * JSON lines on stdout, written off the request path: lines that arrive while a write is under way go out
 * together with the next one, and pino flushes what is left when the process exits. The pretty format writes
 * in this thread, synchronously, so a fatal line is out before the process exits.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  return pino(
    {
      level,
      base: { service: 'cim' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
    },
    format === 'pretty' ? prettyLines() : pino.destination({ dest: 1, sync: false }),
  );
}

interface RequestFields {
  req?: { id?: string; method?: string };
  res?: { statusCode?: number };
  route?: string;
  responseTime?: number;
}

function prettyLines(): DestinationStream {
  return pretty({
    sync: true,
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,req,res,route,responseTime',
    messageFormat: (log, messageKey) => withRequest(messageOf(log[messageKey]), log),
  });
}

/** pino writes the message as a string; a line without one has none. */
function messageOf(message: unknown): string {
  return typeof message === 'string' ? message : '';
}

/** The request log's fields on the line itself: `GET /contacts/:id 200 in 4 ms [request id]`. */
function withRequest(message: string, { req, res, route, responseTime }: RequestFields): string {
  if (!req) return message;
  const summary = res ? `${req.method} ${route ?? '(no route)'} ${res.statusCode} in ${responseTime} ms` : message;
  const aborted = res && message === 'request aborted' ? ' (aborted)' : '';
  return `${summary}${aborted} [${req.id}]`;
}
