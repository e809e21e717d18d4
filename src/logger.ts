import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout, written off the request path: lines that arrive while a write is under way go out
 * together with the next one, and pino flushes what is left when the process exits.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'cim' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
