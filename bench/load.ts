import autocannon from 'autocannon';
import { cpuMsOf, memoryOf } from './servers/process-stats';
import type { ServerProcess } from './servers/launch';
import type { BenchPath, BenchRequest } from './workload';

export interface LoadOptions {
  connections: number;
  durationS: number;
  apiKey: string;
  run: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  responses: number;
  durationS: number;
  cpuMs: number;
  cpuMsPerRequest: number;
  peakRssMb: number;
}

export interface ProbeResult {
  latenciesMs: number[];
  statuses: number[];
}

function headersOf(request: BenchRequest, apiKey: string): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/** A few requests one after the other: checks the path answers 2xx and how long one request takes unloaded. */
export async function probe(server: ServerProcess, path: BenchPath, options: LoadOptions, budgetMs: number) {
  const result: ProbeResult = { latenciesMs: [], statuses: [] };
  for (let index = 0; index < 3; index++) {
    const request = path.request(index, server.name, `${options.run}p`);
    const started = performance.now();
    const res = await fetch(`${server.url}${request.path}`, {
      ...request,
      headers: headersOf(request, options.apiKey),
    });
    await res.arrayBuffer();
    result.latenciesMs.push(performance.now() - started);
    result.statuses.push(res.status);
    if (result.latenciesMs.reduce((sum, ms) => sum + ms, 0) > budgetMs) break;
  }
  return result;
}

/** Drives one server on one path with autocannon, sampling the server process's CPU time and memory. */
export async function drive(server: ServerProcess, path: BenchPath, options: LoadOptions): Promise<LoadResult> {
  let index = 0;
  let peakRssMb = memoryOf(server.pid).rssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid).rssMb);
  }, 200);
  const cpuBefore = cpuMsOf(server.pid);
  try {
    const result = await autocannon({
      url: server.url,
      connections: options.connections,
      duration: options.durationS,
      timeout: Math.max(10, options.durationS * 2),
      requests: [
        {
          setupRequest: (req) => {
            const request = path.request(index++, server.name, options.run);
            return { ...req, ...request, headers: headersOf(request, options.apiKey) };
          },
        },
      ],
    });
    const cpuMs = cpuMsOf(server.pid) - cpuBefore;
    const responses = result['2xx'] + result.non2xx;
    return {
      requestsPerSecond: responses / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      responses,
      durationS: result.duration,
      cpuMs,
      cpuMsPerRequest: responses ? cpuMs / responses : NaN,
      peakRssMb: Math.max(peakRssMb, memoryOf(server.pid).rssMb),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Rounds of one server as one result: totals summed, latency percentiles weighted by responses. */
export function combine(rounds: LoadResult[]): LoadResult {
  if (rounds.length === 1) return rounds[0];
  const sum = (pick: (round: LoadResult) => number) => rounds.reduce((total, round) => total + pick(round), 0);
  const responses = sum((round) => round.responses);
  const weighted = (pick: (round: LoadResult) => number) =>
    sum((round) => pick(round) * round.responses) / Math.max(responses, 1);
  const [durationS, cpuMs] = [sum((round) => round.durationS), sum((round) => round.cpuMs)];
  return {
    requestsPerSecond: responses / durationS,
    p50Ms: weighted((round) => round.p50Ms),
    p99Ms: weighted((round) => round.p99Ms),
    non2xx: sum((round) => round.non2xx),
    errors: sum((round) => round.errors),
    timeouts: sum((round) => round.timeouts),
    responses,
    durationS,
    cpuMs,
    cpuMsPerRequest: responses ? cpuMs / responses : NaN,
    peakRssMb: Math.max(...rounds.map((round) => round.peakRssMb)),
  };
}
