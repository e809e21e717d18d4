import express, { type Express } from 'express';
import type { Config } from './config';
import { docsRoutes, type ComponentsProvider } from './docs/docs.routes';
import { DOCS_PATH, swaggerUiAssets } from './docs/swagger-ui-page';
import type { Logger } from './logger';
import { healthRoutes } from './health/health.routes';
import { jsonBody, type RawBodyRoute } from './http/json-body';
import { notFoundHandler, problemDetailsHandler } from './http/problem-details';
import { requestLogging } from './http/request-logging';
import { mountRoutes, type RouteSpec } from './http/route';
import { corsPolicy, securityHeaders } from './http/security';
import { requirePermission } from './auth/authenticate';
import { rateLimitPerKey } from './auth/rate-limit';
import { createAudit } from './audit';
import { createContactsFeature } from './contacts';
import { addContainmentIndexes } from './db/containment-indexes';
import { ensureCollection, type DatabaseHandle } from './db/connection';
import { createKeyedLock, locksCollection } from './db/keyed-lock';
import { versionsCollection } from './db/versioned-cache';
import { jobsCollection } from './contacts/search-backfill';
import { createImportsFeature } from './imports';
import { createInteractionsFeature } from './interactions';
import { createMappingFeature } from './mapping';
import { createWebhooksFeature } from './webhooks';
import { createDefinitions, createSchemaFeature, definitionsLockKey } from './attributes';

export interface AppDependencies {
  db: DatabaseHandle;
  config: Config;
  logger: Logger;
  /** Run-time schemas for the API docs (the contact shapes); the contacts feature supplies them. */
  documentComponents?: ComponentsProvider;
}

export interface CimApp {
  app: Express;
  routes: RouteSpec[];
  /** Stops background work (cache refreshers); the caller closes the connection. */
  close(): Promise<void>;
}

/** Builds the Express app on a connected database; listening is the caller's business. */
export async function createApp({ db, config, logger, documentComponents }: AppDependencies): Promise<CimApp> {
  if (!config.CIM_API_KEYS.length) {
    logger.warn('AUTH IS OFF: CIM_API_KEYS is empty, so every caller is admin. Set role:key entries before real use.');
  }
  const lock = createKeyedLock(db.connection);
  const audit = await createAudit(db.connection);
  const webhooks = await createWebhooksFeature({
    connection: db.connection,
    lock,
    audit: audit.trail,
    logger,
    allowedHosts: config.CIM_WEBHOOK_ALLOWED_HOSTS,
    refreshMs: config.CIM_CACHE_REFRESH_MS,
  });
  const { publish } = webhooks;
  const definitions = await createDefinitions(db.connection, config.CIM_CACHE_REFRESH_MS);
  const mapping = await createMappingFeature({
    connection: db.connection,
    isAttributeDefined: async (key) => (await definitions.model.exists({ key })) !== null,
    exclusiveWithDefinitions: (write) => lock.run(definitionsLockKey, write),
    refreshMs: config.CIM_CACHE_REFRESH_MS,
    audit: audit.trail,
    publish,
  });
  const interactions = createInteractionsFeature({
    db,
    config,
    lock,
    phonesOfContact: (contactId) => contacts.service.phonesOfContact(contactId),
    publish,
  });
  await interactions.ready;
  const contacts = await createContactsFeature({
    db,
    definitions: definitions.cache,
    mappings: mapping.mappings,
    lock,
    phoneRegion: config.CIM_DEFAULT_PHONE_REGION,
    eraseCallsOfPhones: interactions.eraseCallsOfPhones,
    audit: audit.trail,
    logger,
    publish,
  });
  const imports = await createImportsFeature({
    db,
    repository: contacts.repository,
    claims: contacts.claims,
    merges: contacts.mergedContacts,
    lock,
    definitions: definitions.cache,
    phoneRegion: config.CIM_DEFAULT_PHONE_REGION,
    audit: audit.trail,
    logger,
    maxBytes: config.CIM_IMPORT_MAX_BYTES,
    publish,
  });
  const schema = createSchemaFeature({
    model: definitions.model,
    definitions: definitions.cache,
    migrations: contacts.migrations,
    isKeyMapped: mapping.isKeyMapped,
    lock,
    audit: audit.trail,
    publish,
  });

  const routes: RouteSpec[] = [
    ...healthRoutes(db.connection, config.CIM_READY_TIMEOUT_MS, () => contacts.backfill.progress()),
    ...schema.routes,
    ...mapping.routes,
    ...audit.routes,
    ...contacts.routes,
    ...interactions.routes,
    ...imports.routes,
    ...webhooks.routes,
  ];
  routes.push(...docsRoutes(routes, documentComponents ?? contacts.documentComponents));
  await addEngineIndexes(db, logger);
  void contacts.backfill.start();
  const mergeRecovery = contacts.startMergeRecovery();
  imports.start();
  const finishingMigrations = schema
    .finishUnfinishedMigrations()
    .catch((error: unknown) =>
      logger.error(
        { err: error },
        'finishing an interrupted attribute migration failed; the next definition write retries',
      ),
    );

  const app = express();
  app.disable('x-powered-by');
  // Answers are read once by API clients; hashing every body for an ETag cost more than it could save.
  app.set('etag', false);
  app.set('trust proxy', config.CIM_TRUST_PROXY);
  app.set('query parser', 'simple');
  app.use(requestLogging(logger));
  app.use(securityHeaders());
  app.use(corsPolicy(config));
  app.use(jsonBody(config.CIM_BODY_LIMIT, rawBodyRoutes(routes)));
  const router = express.Router();
  const rateLimit = rateLimitPerKey(config);
  mountRoutes(router, routes, (spec) =>
    spec.permission === 'public' ? [] : [requirePermission(config.CIM_API_KEYS, spec.permission), rateLimit],
  );
  app.use(router);
  app.use(DOCS_PATH, swaggerUiAssets());
  app.use(notFoundHandler);
  app.use(problemDetailsHandler);

  return {
    app,
    routes,
    close: async () => {
      definitions.cache.close();
      mapping.close();
      await contacts.backfill.stop();
      await mergeRecovery.stop();
      await imports.stop();
      await finishingMigrations;
      await webhooks.close();
      await lock.drain();
    },
  };
}

function rawBodyRoutes(routes: RouteSpec[]): RawBodyRoute[] {
  return routes.flatMap(({ method, path, rawBody }) => (rawBody ? [{ method, path }] : []));
}

/** On FerretDB over a PostgreSQL CIM may index, every collection gets the GIN indexes its filters need. */
async function addEngineIndexes(db: DatabaseHandle, logger: Logger): Promise<void> {
  if (!db.postgresUrl) return;
  const collections = [locksCollection, versionsCollection, jobsCollection];
  await Promise.all(collections.map((name) => ensureCollection(db.connection, name)));
  await addContainmentIndexes(db.postgresUrl, db.connection.name, logger);
}
