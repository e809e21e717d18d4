#!/usr/bin/env node
/** cim: the command line of CIM. `cim --help` lists the commands. */
import { CliFailure } from './cli-failure';
import { exportUsage, runExport } from './export-command';
import { importUsage, runImport } from './import-command';

const usage = `usage: cim <command> [options]

Commands:
  export   write the contacts as CSV or NDJSON (cim export --help)
  import   upload a CSV or NDJSON file of contacts and follow the job (cim import --help)

${exportUsage}

${importUsage}`;

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'export') return runExport(rest, process.env);
  if (command === 'import') return runImport(rest, process.env);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  throw new CliFailure(`${command ? `unknown command: ${command}` : 'no command given'}\n\n${usage}`, 2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const failure = error instanceof CliFailure ? error : undefined;
  process.stderr.write(`cim: ${failure ? failure.message : String(error)}\n`);
  process.exitCode = failure?.exitCode ?? 1;
});
