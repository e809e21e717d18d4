import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { connectDatabase } from '../src/db/connection';
import { accountMapping, customAttributes } from './dataset/schema';
import { startEngine, type BenchEngine } from './engine';
import { explainPath } from './explain';
import { formatExport, measureExport } from './export';
import { combine, drive, probe, type LoadOptions, type LoadResult } from './load';
import { parseOptions, type BenchOptions } from './options';
import { machineInfo, pathReport, settingsOf, targetsMet, type PathReport, type RunReport } from './report';
import { ensureBuilt, startFloorServer, startOurServer, type ServerProcess } from './servers/launch';
import { memoryOf } from './servers/process-stats';
import { postJson } from './servers/post-json';
import { formatGrowth, formatRun } from './table';
import { seedData, type SeededData } from './seed';
import { benchWebhooks, formatWebhookBench } from './webhooks';
import { formatMergeBench, measureDuplicates, measureMerges, measureSweep, type MergeBenchReport } from './merge';
import { benchImports, type ImportBenchReport } from './imports/bench-imports';
import { formatImports, importTargetsMet } from './imports/import-report';
import { benchPaths, type BenchPath } from './workload';

const phoneRegion = 'US';
const apiKey = randomBytes(24).toString('hex');

/** Whether `--paths` leaves this measurement in (every one when it is not given). */
function isWanted(options: BenchOptions, name: string): boolean {
  return !options.paths || options.paths.includes(name);
}

/** The custom attributes and the screen-pop mapping, through the schema and mapping API. */
async function defineSchema(server: ServerProcess): Promise<void> {
  for (const attribute of customAttributes) await postJson(server, apiKey, '/saveSchema', attribute);
  await postJson(server, apiKey, '/mapping', accountMapping);
}

async function measurePath(
  servers: ServerProcess[],
  path: BenchPath,
  load: LoadOptions,
  options: BenchOptions,
  explain: () => Promise<PathReport['index']>,
) {
  const index = await explain();
  const [our, floor] = ['our', 'floor'].map((name) => servers.find((server) => server.name === name)!);
  const probes = {
    our: await probe(our, path, load, options.slowMs),
    floor: await probe(floor, path, load, options.slowMs),
  };
  const slowest = Math.max(...probes.our.latenciesMs, ...probes.floor.latenciesMs);
  if (slowest > options.slowMs)
    return pathReport({
      name: path.name,
      title: path.title,
      kind: path.kind,
      index,
      probe: probes,
      skipped: `one request took ${(slowest / 1000).toFixed(1)} s`,
    });
  for (const server of servers) {
    if (options.warmupS > 0) await drive(server, path, { ...load, durationS: options.warmupS, run: `${load.run}w` });
  }
  // ABBA…: the order flips every round, so a drift of the machine's load weighs on both servers alike.
  const rounds: Record<'our' | 'floor', LoadResult[]> = { our: [], floor: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const server of round % 2 ? [...servers].reverse() : servers) {
      const slice = { ...load, durationS: options.durationS / options.rounds, run: `${load.run}r${round}` };
      rounds[server.name].push(await drive(server, path, slice));
    }
  }
  const results = { our: combine(rounds.our), floor: combine(rounds.floor) };
  return pathReport({ name: path.name, title: path.title, kind: path.kind, index, probe: probes, ...results });
}

/** Duplicates of one contact, the sweep of every group, then merges of sampled pairs (last: they change the data). */
async function benchMerges(our: ServerProcess, data: SeededData, options: BenchOptions): Promise<MergeBenchReport> {
  const wanted = (name: string) => isWanted(options, name);
  const report: MergeBenchReport = {};
  if (wanted('duplicates')) {
    report.duplicates = await measureDuplicates(our, apiKey, data.sample, options.durationS);
    report.sweep = await measureSweep(our, apiKey);
  }
  if (wanted('merge')) {
    const { single, concurrent } = await measureMerges(our, apiKey, data.sample);
    Object.assign(report, { merge: single, mergeConcurrent: concurrent });
  }
  for (const line of formatMergeBench(report)) console.log(`  ${line}`);
  return report;
}

async function benchSize(
  engine: BenchEngine,
  options: BenchOptions,
  contacts: number,
  workDir: string,
): Promise<RunReport> {
  const dbName = `${options.dbName}_${contacts}`;
  const calls = options.calls ?? contacts;
  const db = await connectDatabase(engine.uri, dbName);
  await db.connection.dropDatabase();
  const ourOptions = {
    uri: engine.uri,
    dbName,
    postgresUrl: engine.postgresUrl,
    mode: options.server,
    apiKey,
    logLevel: options.logLevel,
    logFile: path.join(workDir, `our-${contacts}.log`),
    // The webhook bench's receiver listens on the loopback.
    env: { CIM_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  };
  const setup = await startOurServer({ ...ourOptions, logLevel: 'warn' });
  await defineSchema(setup).finally(() => setup.stop());
  console.log(`seeding ${contacts} contacts and ${calls} call trees into ${dbName}…`);
  const seedStarted = Date.now();
  const data = await seedData(db.connection, { contacts, calls, seed: options.seed, phoneRegion });
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  await db.connection.close();
  const profileDir = options.profile ? path.resolve(options.outDir, 'profiles') : undefined;
  const our = await startOurServer({ ...ourOptions, profileDir });
  const floor = await startFloorServer({
    uri: engine.uri,
    dbName,
    engine: engine.kind,
    logFile: path.join(workDir, `floor-${contacts}.log`),
  });
  const client = await MongoClient.connect(engine.uri);
  const paths: PathReport[] = [];
  try {
    const run = Date.now().toString(36);
    for (const [index, path] of benchPaths(data, options.seed, engine.kind).entries()) {
      if (options.paths && !options.paths.includes(path.name)) continue;
      // Alternate which server goes first, so neither always meets a warmer or colder engine.
      const servers = index % 2 ? [floor, our] : [our, floor];
      const load = { connections: options.connections, durationS: options.durationS, apiKey, run: `${run}${index}` };
      const explain = () => explainPath(client.db(dbName), path.floorFinds, engine.kind);
      const report = await measurePath(servers, path, load, options, explain);
      console.log(
        `  ${path.name}: ${report.skipped ?? `our ${report.our!.requestsPerSecond.toFixed(0)} req/s, floor ${report.floor!.requestsPerSecond.toFixed(0)} req/s`}`,
      );
      paths.push(report);
    }
    const peakRssMb = memoryOf(our.pid).peakRssMb;
    const exported = isWanted(options, 'export') ? await measureExport(our, apiKey) : undefined;
    if (exported) console.log(`  ${formatExport(exported)}`);
    const merges = await benchMerges(our, data, options);
    const webhooks =
      isWanted(options, 'webhooks') && options.webhookWrites
        ? await benchWebhooks(our, apiKey, options.webhookWrites)
        : undefined;
    for (const line of webhooks ? formatWebhookBench(webhooks) : []) console.log(`  ${line}`);
    return {
      engine: { name: engine.name, kind: engine.kind },
      dataSize: { contacts, calls },
      machine: machineInfo(),
      settings: settingsOf(options),
      seedSeconds,
      paths,
      our: { peakRssMb },
      ...(exported ? { export: exported } : {}),
      ...(Object.keys(merges).length ? { merges } : {}),
      ...(webhooks ? { webhooks } : {}),
      targetsMet: targetsMet(paths, peakRssMb),
    };
  } finally {
    await Promise.all([our.stop(), floor.stop()]);
    // A throw-away cluster goes as a whole; on someone's MongoDB the bench leaves no data behind.
    if (!engine.started) await client.db(dbName).dropDatabase();
    await client.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.server === 'dist') ensureBuilt();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-bench-'));
  const engine = await startEngine();
  const stopOnSignal = () => void engine.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  console.log(`engine: ${engine.name}`);
  const runs: RunReport[] = [];
  let imports: ImportBenchReport | undefined;
  const wanted = (name: string) => isWanted(options, name);
  const pathsOfSizes = options.paths?.filter((name) => name !== 'import');
  try {
    if (!pathsOfSizes || pathsOfSizes.length) {
      for (const contacts of options.sizes) runs.push(await benchSize(engine, options, contacts, workDir));
    }
    if (wanted('import') && options.importRows) {
      imports = await benchImports(
        engine,
        {
          ...options,
          rows: options.importRows,
          largeRows: options.largeImportRows,
          idleSeconds: Math.max(1, options.durationS),
          mode: options.server,
        },
        apiKey,
        workDir,
      );
    }
  } finally {
    await engine.stop();
  }
  for (const run of runs) console.log(`\n${formatRun(run)}`);
  if (runs.length > 1) console.log(`\n${formatGrowth(runs)}`);
  if (imports) console.log(`\n${formatImports(imports)}`);
  fs.mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const importReport = imports ? { imports: { ...imports, targetsMet: importTargetsMet(imports) } } : {};
  fs.writeFileSync(file, `${JSON.stringify({ runs, ...importReport }, null, 2)}\n`);
  console.log(`\nreport written to ${file}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
