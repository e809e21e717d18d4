import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Destination } from './webhook-address';

/** A 2xx within this long counts as delivered. */
const timeoutMs = 10_000;
/** Of the receiver's answer CIM reads this much, and keeps none of it. */
const answerBytesRead = 1_024;

export interface SendResult {
  statusCode?: number;
  durationMs: number;
  error?: string;
}

/** Connects to the address the check resolved, never to what the host resolves to a moment later. */
function pinnedLookup(destination: Destination): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: destination.address, family: destination.family }]);
    else callback(null, destination.address, destination.family);
  };
}

/** Agents of kept-alive connections, one per checked destination, so a busy receiver is not reconnected per event. */
const agents = new Map<string, http.Agent>();
/** Past this many destinations the oldest agent is closed: they are as many as the webhooks' addresses. */
const maxAgents = 256;

function agentFor(destination: Destination): http.Agent {
  const { protocol, hostname, port } = destination.url;
  const key = `${protocol}//${hostname}:${port} at ${destination.address}`;
  const known = agents.get(key);
  if (known) return known;
  const [oldest] = agents.keys();
  if (agents.size >= maxAgents && oldest !== undefined) {
    agents.get(oldest)!.destroy();
    agents.delete(oldest);
  }
  const options = { keepAlive: true, maxFreeSockets: 4, timeout: timeoutMs, lookup: pinnedLookup(destination) };
  const agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  agents.set(key, agent);
  return agent;
}

/** POSTs the body once: no redirect followed, the answer read up to a small limit, a 10 s limit in all. */
export function sendEvent(
  destination: Destination,
  body: string,
  headers: Record<string, string>,
): Promise<SendResult> {
  const started = performance.now();
  const client = destination.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const finish = (result: Omit<SendResult, 'durationMs'>) =>
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    const request = client.request(destination.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      timeout: timeoutMs,
      agent: agentFor(destination),
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', (error) => {
      clearTimeout(deadline);
      finish({ error: error.message.slice(0, 200) });
    });
    request.on('response', (response) => {
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > answerBytesRead) response.destroy();
      });
      const done = () => {
        clearTimeout(deadline);
        finish({ statusCode: response.statusCode });
      };
      response.on('end', done).on('close', done);
    });
    request.end(body);
  });
}
