import 'dotenv/config';
import { z } from 'zod';
import { apiKeysSchema } from './auth/api-keys';
import { embeddedEngines } from './db/embedded/types';

const booleanFromEnv = z.enum(['true', 'false']).transform((value) => value === 'true');

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
    CIM_FERRETDB_POSTGRES_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    CIM_DB_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default('cim'),
    CIM_EMBEDDED_DB: z.enum(['auto', ...embeddedEngines]).default('auto'),
    CIM_DATA_DIR: z.string().min(1).default('./data'),
    CIM_FERRETDB_BIN: z.string().min(1).optional(),
    CIM_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb, 512kb or 1000b')
      .default('1mb'),
    CIM_DEFAULT_PHONE_REGION: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')
      .default('US'),
    CIM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    CIM_CACHE_REFRESH_MS: z.coerce.number().int().min(50).max(1_000).default(250),
    CIM_READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1_000),
    CIM_TRUST_PROXY: booleanFromEnv.default(false),
    CIM_API_KEYS: apiKeysSchema,
    CIM_CORS_ORIGINS: z
      .string()
      .optional()
      .transform((text) =>
        (text ?? '')
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be origins like https://desktop.example.com'))),
    CIM_RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(1_200),
    CIM_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  })
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

function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
