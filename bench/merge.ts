import autocannon from 'autocannon';
import type { GeneratedContact } from './dataset/contacts';
import { memoryOf } from './servers/process-stats';
import type { ServerProcess } from './servers/launch';

export interface LatencyReport {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export interface SweepReport {
  groups: number;
  pages: number;
  seconds: number;
  /** Our server's resident memory before the sweep and at most during it. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export interface MergeBenchReport {
  duplicates?: LatencyReport;
  sweep?: SweepReport;
  /** One merge at a time (an agent's), then four at once (several admins). */
  merge?: LatencyReport;
  mergeConcurrent?: LatencyReport;
}

/** Targets of issue 15, at 200,000 contacts. */
const targets = { duplicatesP99Ms: 50, mergeP99Ms: 100, sweepRssMb: 300 };
const concurrentConnections = 4;

/** Drives one request after another through `requests` (each used once when `amount` is set) with autocannon. */
async function latencyOf(
  our: ServerProcess,
  apiKey: string,
  requests: { method: 'GET' | 'POST'; path: string; body?: string }[],
  load: { durationS?: number; amount?: number; connections?: number },
): Promise<LatencyReport> {
  let index = 0;
  const result = await autocannon({
    url: our.url,
    connections: load.connections ?? concurrentConnections,
    ...(load.amount ? { amount: load.amount } : { duration: load.durationS }),
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const request = requests[index++ % requests.length];
          const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
          if (request.body) headers['content-type'] = 'application/json';
          return { ...req, ...request, headers };
        },
      },
    ],
  });
  const responses = result['2xx'] + result.non2xx;
  return {
    requests: responses,
    requestsPerSecond: responses / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** GET /contacts/{id}/duplicates of the sampled contacts, for the path's duration. */
export function measureDuplicates(our: ServerProcess, apiKey: string, sample: GeneratedContact[], durationS: number) {
  const requests = sample.map((contact) => ({ method: 'GET' as const, path: `/contacts/${contact._id}/duplicates` }));
  return latencyOf(our, apiKey, requests, { durationS });
}

/** Every page of GET /contacts/duplicates (1,000 groups a page), watching our server's memory. */
export async function measureSweep(our: ServerProcess, apiKey: string): Promise<SweepReport> {
  const rssBeforeMb = memoryOf(our.pid).rssMb;
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, memoryOf(our.pid).rssMb)), 100);
  const started = performance.now();
  let [groups, pages] = [0, 0];
  try {
    for (let after: string | undefined; ; pages++) {
      const query = `limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const res = await fetch(`${our.url}/contacts/duplicates?${query}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      if (!res.ok) throw new Error(`GET /contacts/duplicates answered ${res.status}: ${await res.text()}`);
      const page = (await res.json()) as { cursor: string }[];
      groups += page.length;
      if (page.length < 1000) break;
      after = page[page.length - 1].cursor;
    }
  } finally {
    clearInterval(sampler);
  }
  return { groups, pages: pages + 1, seconds: (performance.now() - started) / 1000, rssBeforeMb, rssPeakMb };
}

/** Merges of two contacts, each pair of sampled contacts once: half one at a time, half four at once. */
export async function measureMerges(our: ServerProcess, apiKey: string, sample: GeneratedContact[]) {
  const requests = [];
  for (let index = 0; index + 1 < sample.length; index += 2) {
    const body = JSON.stringify({ survivorId: sample[index]._id, mergedIds: [sample[index + 1]._id] });
    requests.push({ method: 'POST' as const, path: '/contacts/merge', body });
  }
  const half = Math.floor(requests.length / 2);
  const single = await latencyOf(our, apiKey, requests.slice(0, half), { amount: half, connections: 1 });
  const rest = requests.slice(half);
  const concurrent = await latencyOf(our, apiKey, rest, { amount: rest.length });
  return { single, concurrent };
}

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export function formatMergeBench(report: MergeBenchReport): string[] {
  const lines: string[] = [];
  const { duplicates, sweep, merge } = report;
  if (duplicates) {
    lines.push(
      `duplicates of one contact: ${duplicates.requestsPerSecond.toFixed(0)} req/s, p50 ${duplicates.p50Ms} ms, ` +
        `p99 ${duplicates.p99Ms} ms (target ≤ ${targets.duplicatesP99Ms}: ${verdict(duplicates.p99Ms <= targets.duplicatesP99Ms)}), non-2xx ${duplicates.non2xx}`,
    );
  }
  if (sweep) {
    lines.push(
      `sweep of all duplicate groups: ${sweep.groups.toLocaleString('en')} groups in ${sweep.pages} pages, ` +
        `${sweep.seconds.toFixed(1)} s; our RSS ${sweep.rssBeforeMb.toFixed(0)} MB before, at most ` +
        `${sweep.rssPeakMb.toFixed(0)} MB (target ≤ ${targets.sweepRssMb}: ${verdict(sweep.rssPeakMb <= targets.sweepRssMb)})`,
    );
  }
  for (const [how, result] of [
    ['one at a time', merge],
    [`${concurrentConnections} at once`, report.mergeConcurrent],
  ] as const) {
    if (!result) continue;
    lines.push(
      `merge of 2 contacts, ${how}: ${result.requests} merges, ${result.requestsPerSecond.toFixed(0)} req/s, ` +
        `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (target ≤ ${targets.mergeP99Ms}: ` +
        `${verdict(result.p99Ms <= targets.mergeP99Ms)}), non-2xx ${result.non2xx}`,
    );
  }
  return lines;
}
