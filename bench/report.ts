import type { MergeBenchReport } from './merge';
import type { WebhookBenchReport } from './webhooks';
import type { ExportReport } from './export';
import os from 'node:os';
import type { IndexUse } from './explain';
import type { LoadResult, ProbeResult } from './load';
import type { BenchOptions } from './options';

export const targets = { readThroughput: 0.8, writeThroughput: 0.7, p99: 1.5, peakRssMb: 250 } as const;

export interface PathReport {
  name: string;
  title: string;
  kind: 'read' | 'write';
  index: IndexUse;
  probe: { our: ProbeResult; floor: ProbeResult };
  /** Set when the path was not load-tested, and why (its probe answered too slowly). */
  skipped?: string;
  our?: LoadResult;
  floor?: LoadResult;
  ratios?: { throughput: number; p99: number };
  targets: { throughput: { min: number; met: boolean | null }; p99: { max: number; met: boolean | null } };
}

export interface RunReport {
  engine: { name: string; kind: string };
  dataSize: { contacts: number; calls: number };
  machine: { cores: number; cpu: string; memoryGb: number; node: string };
  settings: {
    connections: number;
    durationS: number;
    rounds: number;
    warmupS: number;
    seed: number;
    ourServer: string;
    logLevel: string;
  };
  seedSeconds: number;
  paths: PathReport[];
  our: { peakRssMb: number };
  /** GET /contacts/export of the whole data set, when `--paths` does not leave it out. */
  export?: ExportReport;
  /** Duplicates, the sweep of all groups and merges (issue 15), when `--paths` does not leave them out. */
  merges?: MergeBenchReport;
  /** Contact writes without and with a webhook on everything (issue 16). */
  webhooks?: WebhookBenchReport;
  targetsMet: { throughputAndP99: boolean; zeroNon2xx: boolean; peakRss: boolean; indexServed: boolean };
}

export function machineInfo(): RunReport['machine'] {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function settingsOf(options: BenchOptions): RunReport['settings'] {
  const { connections, durationS, rounds, warmupS, seed, server, logLevel } = options;
  return {
    connections,
    durationS,
    rounds,
    warmupS,
    seed,
    ourServer: server === 'dist' ? 'node dist/server.js' : 'tsx src/server.ts',
    logLevel,
  };
}

export function pathReport(base: Omit<PathReport, 'ratios' | 'targets'>): PathReport {
  const min = base.kind === 'write' ? targets.writeThroughput : targets.readThroughput;
  if (!base.our || !base.floor) {
    return { ...base, targets: { throughput: { min, met: null }, p99: { max: targets.p99, met: null } } };
  }
  const ratios = {
    throughput: base.our.requestsPerSecond / base.floor.requestsPerSecond,
    p99: base.our.p99Ms / Math.max(base.floor.p99Ms, 1),
  };
  return {
    ...base,
    ratios,
    targets: {
      throughput: { min, met: ratios.throughput >= min },
      p99: { max: targets.p99, met: base.kind === 'write' ? null : ratios.p99 <= targets.p99 },
    },
  };
}

export function targetsMet(paths: PathReport[], peakRssMb: number): RunReport['targetsMet'] {
  const measured = paths.filter((path) => path.our && path.floor);
  const non2xx = paths.flatMap((path) => [path.our, path.floor]).reduce((sum, load) => sum + (load?.non2xx ?? 0), 0);
  const probeFailures = paths
    .flatMap((path) => [...path.probe.our.statuses, ...path.probe.floor.statuses])
    .filter((status) => status >= 300);
  return {
    throughputAndP99:
      measured.length === paths.length &&
      measured.every((path) => path.targets.throughput.met !== false && path.targets.p99.met !== false),
    zeroNon2xx: non2xx === 0 && probeFailures.length === 0,
    peakRss: peakRssMb <= targets.peakRssMb,
    indexServed: paths.every((path) => path.index.indexed),
  };
}
