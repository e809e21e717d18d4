import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Contact counts to bench one after the other, e.g. `--contacts 10000,50000`. */
  sizes: number[];
  /** Call trees per run; defaults to the run's contact count. */
  calls?: number;
  durationS: number;
  /** The duration is split into this many rounds per server, in alternating order (our, floor, floor, our…). */
  rounds: number;
  warmupS: number;
  connections: number;
  seed: number;
  quick: boolean;
  paths?: string[];
  /** Rows of the import bench's create and upsert files (0 skips the import bench). */
  importRows: number;
  /** Rows of the large file whose upload and first minute are watched for memory (0 skips it). */
  largeImportRows: number;
  /** Contact writes of each webhook bench run, without and with a webhook (0 skips it). */
  webhookWrites: number;
  /** Write a V8 CPU profile of our server (`node --cpu-prof`) under the results directory. */
  profile: boolean;
  server: 'dist' | 'tsx';
  logLevel: string;
  /** A path whose unloaded request takes longer than this is reported from its probe, not load-tested. */
  slowMs: number;
  dbName: string;
  outDir: string;
}

const usage = `npm run bench -- [options]
  --contacts N[,N…]   contacts per run (default 50000; a list runs each size)
  --calls N           call trees per run (default: the run's contact count)
  --duration S        seconds of load per path and server (default 10)
  --rounds N          split it into N rounds per server, order flipped each round (default 2)
  --warmup S          seconds of unmeasured load before each (default 2)
  --connections N     concurrent connections (default 10)
  --seed N            data set seed (default 7)
  --paths a,b         only these paths (names as in the table; export: the CSV export; import: the import bench;
                      duplicates: one contact's duplicates and the sweep of all groups; merge: merges of two;
                      webhooks: contact writes without and with a webhook)
  --import-rows N     rows of the import bench's create and upsert files (default 100000; 0 skips it)
  --large-import-rows N  rows of the file whose upload and first minute are watched for memory (default 1000000)
  --webhook-writes N  contact writes without, then with, a webhook on every event (default 10000; 0 skips it)
  --profile           write a CPU profile of our server to bench/results/profiles
  --server dist|tsx   our server built (default) or run from the sources
  --log-level L       our server's LOG_LEVEL (default info, as in production)
  --slow-ms MS        longest unloaded request that is still load-tested (default 3000)
  --db-name NAME      database name prefix (default cim_bench)
  --out DIR           where the JSON report goes (default bench/results)
  --quick             seconds on a tiny data set: 300 contacts, 1 s per path, no warm-up, sources via tsx
MONGODB_URI benches that engine instead of FerretDB on a throw-away PostgreSQL cluster.`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      contacts: { type: 'string' },
      calls: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      seed: { type: 'string' },
      paths: { type: 'string' },
      'import-rows': { type: 'string' },
      'large-import-rows': { type: 'string' },
      'webhook-writes': { type: 'string' },
      profile: { type: 'boolean', default: false },
      server: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'slow-ms': { type: 'string', default: '3000' },
      'db-name': { type: 'string', default: 'cim_bench' },
      out: { type: 'string', default: 'bench/results' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick;
  const number = (text: string | undefined, fallback: number, name: string) => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number\n${usage}`);
    return value;
  };
  const sizes = (values.contacts ?? (quick ? '300' : '50000')).split(',').map((size) => number(size, 0, 'contacts'));
  const server = values.server ?? (quick ? 'tsx' : 'dist');
  if (server !== 'dist' && server !== 'tsx') throw new Error(`--server must be dist or tsx\n${usage}`);
  return {
    sizes,
    calls: values.calls === undefined ? undefined : number(values.calls, 0, 'calls'),
    durationS: number(values.duration, quick ? 1 : 10, 'duration'),
    rounds: Math.max(1, Math.round(number(values.rounds, quick ? 1 : 2, 'rounds'))),
    warmupS: number(values.warmup, quick ? 0 : 2, 'warmup'),
    connections: number(values.connections, quick ? 4 : 10, 'connections'),
    seed: number(values.seed, 7, 'seed'),
    quick,
    paths: values.paths?.split(','),
    importRows: number(values['import-rows'], quick ? 300 : 100_000, 'import-rows'),
    largeImportRows: number(values['large-import-rows'], quick ? 0 : 1_000_000, 'large-import-rows'),
    webhookWrites: number(values['webhook-writes'], quick ? 50 : 10_000, 'webhook-writes'),
    profile: values.profile,
    server,
    logLevel: values['log-level'],
    slowMs: number(values['slow-ms'], 3000, 'slow-ms'),
    dbName: values['db-name'],
    outDir: values.out,
  };
}
