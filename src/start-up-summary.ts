import type { AddressInfo } from 'node:net';
import { roles } from './auth/api-keys';
import type { Config } from './config';
import type { DatabaseHandle } from './db/connection';
import type { EmbeddedDatabase } from './db/embedded';
import type { LogFormat, Logger } from './logger';

export interface StartUpFacts {
  config: Config;
  address: AddressInfo;
  db: DatabaseHandle;
  embedded: EmbeddedDatabase | undefined;
  logFormat: LogFormat;
}

/**
 * What a person starting CIM wants to know, once it listens: a few lines on the pretty format, one line with
 * fields in JSON. Never a key, nor MONGODB_URI (it can hold a password): the host the driver connected to.
 */
export function logStartUpSummary(logger: Logger, facts: StartUpFacts): void {
  const url = `http://${displayHost(facts.config.HOST)}:${facts.address.port}`;
  const engine = engineSummary(facts);
  const database = facts.config.CIM_DB_NAME;
  const auth = authSummary(facts.config);
  const lines = [
    `CIM listening on ${url}`,
    `API docs: ${url}/docs`,
    `database: ${database} on ${engine.text}`,
    `auth: ${auth.text}`,
    `logs: ${formatHint(facts.logFormat)}`,
  ];
  if (facts.logFormat === 'pretty') return void logger.info(lines.join('\n    '));
  const fields = { port: facts.address.port, url, docs: `${url}/docs`, database, ...engine.fields, auth: auth.fields };
  logger.info({ ...fields, logFormat: facts.logFormat }, lines.join('; '));
}

/** A wildcard address is reached as localhost; an IPv6 address needs brackets in a URL. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function engineSummary({ db, embedded }: StartUpFacts) {
  if (embedded) {
    return {
      text: `embedded ${embedded.engine}, data in ${embedded.dataDir}`,
      fields: { engine: embedded.engine, embedded: true, dataDir: embedded.dataDir },
    };
  }
  const engine = db.engine === 'ferretdb' ? 'FerretDB' : 'MongoDB';
  const host = db.connection.host;
  return { text: `your ${engine} at ${host}`, fields: { engine: db.engine, embedded: false, host } };
}

function authSummary(config: Config) {
  const keys = Object.fromEntries(
    roles.map((role) => [role, config.CIM_API_KEYS.filter((key) => key.role === role).length]),
  );
  if (!config.CIM_API_KEYS.length) {
    return { text: 'OFF (CIM_API_KEYS is empty: every caller is admin)', fields: { enabled: false, keys } };
  }
  const counted = roles
    .filter((role) => keys[role] > 0)
    .map((role) => `${keys[role]} ${role} key${keys[role] === 1 ? '' : 's'}`);
  return { text: `on, ${counted.join(', ')}`, fields: { enabled: true, keys } };
}

function formatHint(format: LogFormat): string {
  return format === 'pretty'
    ? 'readable lines (LOG_FORMAT=json for JSON lines)'
    : 'JSON lines (LOG_FORMAT=pretty for readable lines)';
}
