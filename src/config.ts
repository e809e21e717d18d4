import 'dotenv/config';
import { z } from 'zod';
import { apiKeysSchema } from './auth/api-keys';
import { embeddedEngines } from './db/embedded/types';

const booleanFromEnv = z.enum(['true', 'false']).transform((value) => value === 'true');

const commaSeparated = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/**
 * Every variable CIM reads, each with its one description: `.env.example` and the README's configuration table
 * are written from these (`npm run docs:config`), and a test fails when either falls behind.
 */
export const configVariables = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('development, production (then CIM_API_KEYS is required) or test'),
  HOST: z.string().min(1).default('0.0.0.0').describe('address the HTTP server listens on'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('port the HTTP server listens on'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level; request bodies, paths and query strings are never logged (they carry personal data)'),
  LOG_FORMAT: z
    .enum(['auto', 'pretty', 'json'])
    .default('auto')
    .describe('auto: readable lines on a terminal, JSON lines otherwise; pretty or json to choose'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional()
    .describe('your MongoDB (a replica set in production); unset = start an embedded engine'),
  CIM_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('cim')
    .describe('database name, on MONGODB_URI or the embedded engine'),
  CIM_EMBEDDED_DB: z
    .enum(['auto', ...embeddedEngines])
    .default('auto')
    .describe('engine started when MONGODB_URI is unset: auto, mongod, ferretdb (on PostgreSQL), ferretdb-sqlite'),
  CIM_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe("where npm start's embedded engine keeps its data across restarts"),
  CIM_FERRETDB_BIN: z
    .string()
    .min(1)
    .optional()
    .describe('FerretDB binary; default ~/.cache/cim/ferretdb-v1.24.2, built there on first use'),
  CIM_FERRETDB_POSTGRES_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .describe('the PostgreSQL under your own FerretDB: CIM adds its GIN indexes there at every start'),
  CIM_API_KEYS: apiKeysSchema.describe(
    'role:key entries, comma-separated (roles admin, agent, integration; key 16+ characters or sha256:<64 hex>); unset = no auth',
  ),
  CIM_CORS_ORIGINS: commaSeparated
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins like https://desktop.example.com')))
    .describe('browser origins allowed to call the API, comma-separated (e.g. https://desktop.example.com)'),
  CIM_RATE_LIMIT_MAX: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_200)
    .describe('requests one client (API key, else address) may make per window; 0 = no limit'),
  CIM_RATE_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(60_000)
    .describe('the rate limit window, in ms'),
  CIM_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb, 512kb or 1000b')
    .default('1mb')
    .describe('largest request body, e.g. 1mb or 512kb (413 beyond)'),
  CIM_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024 * 1024)
    .describe('largest file POST /imports takes, in bytes (413 beyond); default 100 MB'),
  CIM_DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
    .default('US')
    .describe('region (ISO 3166-1 alpha-2) of phone numbers written without a country code'),
  CIM_DEFAULT_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Berlin')
    .default('UTC')
    .describe('time zone (IANA) of a start_time written without an offset, such as 2024-05-01 09:30:00'),
  CIM_SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(120_000)
    .default(10_000)
    .describe('how long SIGTERM waits for in-flight requests, in ms'),
  CIM_CACHE_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(1_000)
    .default(250)
    .describe('how often an instance checks whether another changed definitions or mappings, in ms'),
  CIM_READY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(1_000)
    .describe('how long GET /ready waits for the database before answering 503, in ms'),
  CIM_WEBHOOK_ALLOWED_HOSTS: commaSeparated
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be host names or addresses, comma-separated')))
    .transform((hosts) => hosts.map((host) => host.toLowerCase()))
    .describe('webhook hosts CIM may call although internal (and over http), e.g. 127.0.0.1 in tests; unset = none'),
  CIM_TRUST_PROXY: booleanFromEnv
    .default(false)
    .describe('true behind a reverse proxy: client addresses are read from X-Forwarded-For'),
};

const configSchema = z
  .object(configVariables)
  .refine((config) => config.NODE_ENV !== 'production' || config.CIM_API_KEYS.length > 0, {
    path: ['CIM_API_KEYS'],
    message: 'is required when NODE_ENV=production (role:key entries)',
  });

export type Config = z.infer<typeof configSchema>;

/** Parses the environment once; a bad value names its variable and stops the process. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(withoutEmptyValues(env));
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
