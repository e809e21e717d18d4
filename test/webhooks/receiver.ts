import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  event: { type: string; timestamp: string; data: Record<string, unknown> };
  at: number;
}

/** What the receiver answers the n-th request (from 0): a status, and how long it waits first. */
export type Answer = (
  index: number,
  received: Received,
) => { status: number; delayMs?: number; after?: Promise<unknown> };

/**
 * A webhook receiver on the loopback that records what it gets. Signatures are checked here by our own reading of
 * the Standard Webhooks spec (HMAC-SHA256 of "id.timestamp.body" with the base64 secret after `whsec_`), not by
 * the library the server signs with.
 */
export async function startReceiver(answer: Answer = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { headers: req.headers, body, event: JSON.parse(body) as Received['event'], at: Date.now() };
      const index = received.push(entry) - 1;
      const { status, delayMs = 0, after = Promise.resolve() } = answer(index, entry);
      void after.then(() => setTimeout(() => res.writeHead(status).end(), delayMs));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    /** Resolves once `count` requests arrived (or throws after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 20_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} of ${count} requests`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** True when one of the `v1,` signatures of the request is the secret's, over its id, timestamp and body. */
export function signedBy(secret: string, { headers, body }: Pick<Received, 'headers' | 'body'>): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = createHmac('sha256', key).update(content).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((signature) => {
      const [version, value] = signature.split(',');
      const given = Buffer.from(value ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}
