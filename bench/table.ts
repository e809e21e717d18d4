import { formatExport } from './export';
import type { LoadResult } from './load';
import type { PathReport, RunReport } from './report';
import { targets } from './report';

const columns = [
  'path',
  'server',
  'req/s',
  'p50 ms',
  'p99 ms',
  'non-2xx',
  'req/s ratio',
  'p99 ratio',
  'CPU ms/req',
  'targets',
];
const numeric = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);

function failures(load: LoadResult): string {
  const extra = load.errors + load.timeouts ? ` (+${load.errors} err, ${load.timeouts} t/o)` : '';
  return `${load.non2xx}${extra}`;
}

function verdict(path: PathReport): string {
  const { throughput, p99 } = path.targets;
  if (throughput.met === null) return 'not measured';
  const missed = [throughput.met ? '' : `req/s < ${throughput.min}×`, p99.met === false ? `p99 > ${p99.max}×` : ''];
  return missed.filter(Boolean).join(', ') || 'met';
}

function rowsOf(path: PathReport): string[][] {
  if (!path.our || !path.floor) {
    const ms = (latencies: number[]) => (latencies.length ? `${(Math.max(...latencies) / 1000).toFixed(1)} s` : '—');
    return [
      [
        path.name,
        'both',
        `skipped: one request takes ${ms(path.probe.our.latenciesMs)} (our), ${ms(path.probe.floor.latenciesMs)} (floor)`,
      ],
    ];
  }
  const { our, floor, ratios } = path;
  return [
    [
      path.name,
      'our',
      numeric(our.requestsPerSecond),
      numeric(our.p50Ms, 0),
      numeric(our.p99Ms, 0),
      failures(our),
      numeric(ratios!.throughput, 2),
      numeric(ratios!.p99, 2),
      numeric(our.cpuMsPerRequest, 2),
      verdict(path),
    ],
    [
      '',
      'floor',
      numeric(floor.requestsPerSecond),
      numeric(floor.p50Ms, 0),
      numeric(floor.p99Ms, 0),
      failures(floor),
      '',
      '',
      numeric(floor.cpuMsPerRequest, 2),
      '',
    ],
  ];
}

function align(rows: string[][]): string {
  const full = rows.filter((row) => row.length > 3);
  const widths = columns.map((_, index) =>
    Math.max(...(index < 2 ? rows : full).map((row) => (row[index] ?? '').length)),
  );
  const pad = (cell: string, index: number, short: boolean) =>
    index < 2 ? cell.padEnd(widths[index]) : short ? cell : cell.padStart(widths[index]);
  return rows
    .map((row) =>
      row
        .map((cell, index) => pad(cell, index, row.length <= 3))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatRun(run: RunReport): string {
  const { engine, dataSize, machine, settings } = run;
  const header =
    `CIM benchmark — ${engine.name} — ${dataSize.contacts.toLocaleString('en')} contacts, ` +
    `${dataSize.calls.toLocaleString('en')} call trees — ${machine.cores} cores, Node ${machine.node} — ` +
    `${settings.connections} connections × ${settings.durationS} s per path and server`;
  const table = align([columns, ...run.paths.flatMap(rowsOf)]);
  const met = (value: boolean) => (value ? 'met' : 'MISSED');
  const lines = [
    `our server peak RSS: ${run.our.peakRssMb.toFixed(0)} MB (target ≤ ${targets.peakRssMb} MB: ${met(run.targetsMet.peakRss)})`,
    `targets: req/s and p99 vs floor ${met(run.targetsMet.throughputAndP99)}; zero non-2xx ${met(run.targetsMet.zeroNon2xx)}; ` +
      `every path index-served ${run.targetsMet.indexServed ? 'yes' : 'NO'}`,
    "what serves each path (the floor's query explained):",
    ...run.paths.map((path) => `  ${path.name}: ${path.index.how}`),
    ...(run.export ? [formatExport(run.export)] : []),
  ];
  return [header, '', table, '', ...lines].join('\n');
}

/** p50 and req/s of each path at each data size, our server: how cost grows with the collection. */
export function formatGrowth(runs: RunReport[]): string {
  const sizes = runs.map((run) => run.dataSize.contacts.toLocaleString('en'));
  const rows = [['path', ...sizes.flatMap((size) => [`req/s @${size}`, `p50 ms @${size}`])]];
  for (const [index, path] of runs[0].paths.entries()) {
    rows.push([
      path.name,
      ...runs.flatMap((run) => [
        numeric(run.paths[index]?.our?.requestsPerSecond),
        numeric(run.paths[index]?.our?.p50Ms, 0),
      ]),
    ]);
  }
  const widths = rows[0].map((_, index) => Math.max(...rows.map((row) => row[index].length)));
  return [
    'our server by data size:',
    ...rows.map((row) =>
      row.map((cell, index) => (index ? cell.padStart(widths[index]) : cell.padEnd(widths[index]))).join('  '),
    ),
  ].join('\n');
}
