import autocannon from 'autocannon';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerProcess } from './servers/launch';

interface WriteLatency {
  writes: number;
  writesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export interface WebhookBenchReport {
  withoutWebhook: WriteLatency;
  withWebhook: WriteLatency;
  /** From the first write of the subscribed run to the last of its events reaching the receiver. */
  deliveredSeconds: number;
  /** From the last write answered to the last event received. */
  afterLastWriteSeconds: number;
  /** Per event, from its write's answer to its first arrival at the receiver. */
  eventLatency: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Events received once the subscribed writes were answered, and how many arrived twice. */
  delivered: number;
  repeated: number;
}

/**
 * Targets of issue 16: every event delivered within 60 s (checked per event, from its write's answer to its arrival;
 * the report also gives the time from the first write, which the write rate bounds), write p99 at most 15 % above the
 * run without webhook.
 */
const targets = { deliveredSeconds: 60, p99Growth: 1.15 };
const connections = 10;

/** A receiver that answers 204 at once, counts the events by webhook-id and notes when each first arrived. */
async function startReceiver() {
  const seen = new Map<string, number>();
  const firstAt = new Map<string, number>();
  let lastAt = 0;
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      const id = String(req.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      lastAt = performance.now();
      if (!firstAt.has(id)) firstAt.set(id, lastAt);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    seen,
    firstAt,
    lastAt: () => lastAt,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `count` POST /saveContact of new contacts, `connections` at a time. `answeredAt` gets, per created contact's event
 * id (its `webhook-id` is `evt_<contact id>`), when its answer arrived.
 */
async function writeContacts(
  our: ServerProcess,
  apiKey: string,
  count: number,
  run: string,
  answeredAt?: Map<string, number>,
): Promise<WriteLatency> {
  let index = 0;
  const result = await autocannon({
    url: our.url,
    connections,
    amount: count,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'POST',
          path: '/saveContact',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ first_name: `Hook${run}`, last_name: `Bench${index++}` }),
        }),
        onResponse: (status, body) => {
          if (answeredAt && status < 300)
            answeredAt.set(`evt_${(JSON.parse(body) as { _id: string })._id}`, performance.now());
        },
      },
    ],
  });
  const writes = result['2xx'] + result.non2xx;
  return {
    writes,
    writesPerSecond: writes / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** Contact writes without a webhook, then with one subscribed to everything, until every event has arrived. */
export async function benchWebhooks(our: ServerProcess, apiKey: string, writes: number): Promise<WebhookBenchReport> {
  const receiver = await startReceiver();
  try {
    const withoutWebhook = await writeContacts(our, apiKey, writes, 'a');
    const res = await fetch(`${our.url}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['*'] }),
    });
    if (!res.ok) throw new Error(`POST /webhooks answered ${res.status}: ${await res.text()}`);
    const started = performance.now();
    const answeredAt = new Map<string, number>();
    const withWebhook = await writeContacts(our, apiKey, writes, 'b', answeredAt);
    const writesEnded = performance.now();
    const deadline = Date.now() + 300_000;
    while (receiver.seen.size < withWebhook.writes - withWebhook.non2xx && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const repeated = [...receiver.seen.values()].filter((count) => count > 1).length;
    const deliveredSeconds = (receiver.lastAt() - started) / 1000;
    const afterLastWriteSeconds = Math.max(0, receiver.lastAt() - writesEnded) / 1000;
    const eventLatency = latencyOf(answeredAt, receiver.firstAt);
    return {
      withoutWebhook,
      withWebhook,
      deliveredSeconds,
      afterLastWriteSeconds,
      eventLatency,
      delivered: receiver.seen.size,
      repeated,
    };
  } finally {
    await receiver.close();
  }
}

/** Per event answered, arrival minus answer (an event can arrive before its answer: 0); one never arrived counts as Infinity. */
function latencyOf(answeredAt: Map<string, number>, firstAt: Map<string, number>) {
  const latencies = [...answeredAt]
    .map(([id, at]) => Math.max(0, (firstAt.get(id) ?? Infinity) - at))
    .sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(latencies.at(-1) ?? 0) };
}

export function formatWebhookBench(report: WebhookBenchReport): string[] {
  const { withoutWebhook: before, withWebhook: after } = report;
  const growth = after.p99Ms / Math.max(before.p99Ms, 1);
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const latency = report.eventLatency;
  const allDelivered = report.delivered >= after.writes - after.non2xx;
  return [
    `contact writes without webhook: ${before.writes} at ${before.writesPerSecond.toFixed(0)}/s, p50 ${before.p50Ms} ms, p99 ${before.p99Ms} ms`,
    `contact writes with a webhook on *: ${after.writes} at ${after.writesPerSecond.toFixed(0)}/s, p50 ${after.p50Ms} ms, ` +
      `p99 ${after.p99Ms} ms (×${growth.toFixed(2)}, target ≤ ×${targets.p99Growth}: ${verdict(growth <= targets.p99Growth)})`,
    `events delivered: ${report.delivered} of ${after.writes - after.non2xx}, ${report.repeated} twice; each after ` +
      `its write's answer: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, max ${latency.maxMs} ms (target ≤ ` +
      `${targets.deliveredSeconds} s: ${verdict(allDelivered && latency.maxMs <= targets.deliveredSeconds * 1000)})`,
    `the last event ${report.deliveredSeconds.toFixed(1)} s after the first write, ` +
      `${report.afterLastWriteSeconds.toFixed(1)} s after the last`,
  ];
}
