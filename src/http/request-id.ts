import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const maxLength = 128;

/** The caller's X-Request-Id stripped to safe characters and bounded, or a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const supplied = (Array.isArray(header) ? header[0] : header) ?? '';
  const sanitised = supplied.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, maxLength);
  return sanitised || randomUUID();
}
