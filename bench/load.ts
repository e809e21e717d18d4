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
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      responses,
      cpuMsPerRequest: responses ? cpuMs / responses : NaN,
      peakRssMb: Math.max(peakRssMb, memoryOf(server.pid).rssMb),
    };
  } finally {
    clearInterval(sampler);
  }
}
