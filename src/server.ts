import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app';
import { loadConfig, type Config } from './config';
import { connectDatabase, type DatabaseHandle } from './db/connection';
import { EngineUnavailableError, startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import { createLogger, resolveLogFormat, type Logger } from './logger';
import { logStartUpSummary } from './start-up-summary';

/**
 * Node's default of 16 KiB is less than a documented query can take once percent-encoded: a 2,000-character
 * unique value in a duplicates cursor is up to 24 KiB. Beyond this a request gets 431 before it reaches the app.
 */
const maxRequestHeadBytes = 64 * 1024;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logFormat = resolveLogFormat(config.LOG_FORMAT);
  const logger = createLogger(config.LOG_LEVEL, logFormat);
  process.on('unhandledRejection', (reason) => exitOnFatal(logger, reason));
  process.on('uncaughtException', (error) => exitOnFatal(logger, error));

  const embedded = config.MONGODB_URI ? undefined : await startEmbedded(config, logger);
  const db = await connectDatabase(config.MONGODB_URI ?? embedded!.uri, config.CIM_DB_NAME, {
    postgresUrl: embedded?.postgresUrl ?? config.CIM_FERRETDB_POSTGRES_URL,
  });
  const cim = await createApp({ db, config, logger });
  const server = createServer({ maxHeaderSize: maxRequestHeadBytes }, cim.app);
  server.once('error', (error) => void exitOnListenError(error, config, () => closeDatabase(db, embedded), logger));
  server.listen(config.PORT, config.HOST, () => {
    logStartUpSummary(logger, { config, address: server.address() as AddressInfo, db, embedded, logFormat });
  });

  let stopping = false;
  const unfinished = trackResponses(server, () => stopping);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, config.CIM_SHUTDOWN_TIMEOUT_MS);
    forced.unref();
    await closeServer(server, unfinished);
    await cim.close();
    await closeDatabase(db, embedded);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

function startEmbedded(config: Config, logger: Logger): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase({
    mode: config.CIM_EMBEDDED_DB,
    dataDir: path.resolve(config.CIM_DATA_DIR),
    persistent: true,
    ferretDbBinary: config.CIM_FERRETDB_BIN,
    logger,
  }).catch((error: unknown) => exitOnEngineUnavailable(error, logger));
}

/** Responses not yet finished; during shutdown each closes its connection, even a new one on a kept-alive socket. */
function trackResponses(server: Server, stopping: () => boolean): Set<ServerResponse> {
  const unfinished = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (stopping()) res.setHeader('Connection', 'close');
    unfinished.add(res);
    res.once('close', () => unfinished.delete(res));
  });
  return unfinished;
}

/**
 * Stops accepting connections and waits for in-flight requests to finish. Their responses say Connection: close,
 * or Node would keep their sockets open for the next request of a keep-alive client and wait for it to go idle.
 */
function closeServer(server: Server, unfinished: Set<ServerResponse>): Promise<void> {
  for (const res of unfinished) if (!res.headersSent) res.setHeader('Connection', 'close');
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

async function closeDatabase(db: DatabaseHandle, embedded: EmbeddedDatabase | undefined): Promise<void> {
  await db.connection.close();
  await embedded?.stop();
}

/** One line that says what to do, the embedded engine stopped, exit 1: no stack trace for a taken port. */
async function exitOnListenError(error: Error, config: Config, close: () => Promise<void>, logger: Logger) {
  const { code } = error as NodeJS.ErrnoException;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${config.PORT} on ${config.HOST} is taken: stop what uses it, or set PORT to a free port`
      : code === 'EACCES'
        ? `port ${config.PORT} needs privileges this process lacks: set PORT to 1024 or above`
        : `cannot listen on ${config.HOST}:${config.PORT} (${error.message}): check HOST and PORT`;
  logger.fatal({ code }, reason);
  await close().catch(() => undefined);
  logger.flush();
  process.exit(1);
}

/** An engine this machine cannot run: its advice on one line, exit 1. Anything else is a fatal error. */
function exitOnEngineUnavailable(error: unknown, logger: Logger): never {
  if (!(error instanceof EngineUnavailableError)) throw error;
  logger.fatal(error.message);
  logger.flush();
  process.exit(1);
}

function exitOnFatal(logger: Logger, error: unknown): void {
  logger.fatal({ err: error }, 'fatal error, exiting');
  process.exit(1);
}

void main();
