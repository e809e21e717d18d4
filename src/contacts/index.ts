import type { AuditTrail } from '../audit';
import type { DatabaseHandle } from '../db/connection';
import type { KeyedLock } from '../db/keyed-lock';
import { createIdempotencyStore } from '../http/idempotency';
import type { MappingsCache } from '../mapping';
import type { DefinitionsCache } from '../attributes/definitions';
import { contactOpenApiComponents } from './contact-openapi-components';
import { createContactMigrations } from './contact-migrations';
import { contactModel } from './contact.model';
import { createContactRepository } from './contact.repository';
import { contactRoutes } from './contact.routes';
import { contactSearchRoutes } from './contact-search.routes';
import { createContactSearchService } from './contact-search.service';
import { createContactsService, type PublishContactEvent } from './contact.service';
import { createDuplicatesService } from './duplicates.service';
import { createUniqueClaims } from './unique-claims';
import { uniqueTokenOf, type AttributeValue } from '../attributes/attribute-types';
import { definitionsLockKey } from '../attributes';
import type { Logger } from '../logger';
import { createSearchBackfill } from './search-backfill';
import { createMergeJournal } from './merge-journal';
import { startMergeRecovery } from './merge-recovery';
import { mergeRoutes } from './merge.routes';
import { createMergeService } from './merge.service';

export interface ContactsFeatureDependencies {
  db: DatabaseHandle;
  definitions: DefinitionsCache;
  mappings: MappingsCache;
  lock: KeyedLock;
  phoneRegion: string;
  eraseCallsOfPhones: (phones: string[]) => Promise<number>;
  audit: AuditTrail;
  logger: Logger;
  publish: PublishContactEvent;
}

export async function createContactsFeature(deps: ContactsFeatureDependencies) {
  const model = contactModel(deps.db.connection);
  await model.createIndexes();
  const repository = createContactRepository(model, deps.db.connection, deps.db.postgresUrl);
  const claims = await createUniqueClaims(deps.db.connection, async (contactId, { key, token }) => {
    const [value, definitions] = await Promise.all([repository.valueOf(contactId, key), deps.definitions.get()]);
    const rule = definitions.byKey.get(key);
    return !!rule && value !== undefined && uniqueTokenOf(key, rule.type, value as AttributeValue) === token;
  });
  const journal = await createMergeJournal(deps.db.connection);
  const merges = createMergeService({ ...deps, repository, claims, journal });
  const service = createContactsService({
    ...deps,
    repository,
    claims,
    merges: { survivorOf: journal.survivorOf, refuseWhilePending: merges.refuseWhilePending },
  });
  const duplicates = createDuplicatesService({ repository, definitions: deps.definitions });
  const migrations = createContactMigrations({ repository, claims, phoneRegion: deps.phoneRegion });
  const backfill = createSearchBackfill({
    ...deps,
    connection: deps.db.connection,
    engine: deps.db.engine,
    repository,
    rebuildUniqueClaims: (definitions, since) =>
      deps.lock.run(definitionsLockKey, async (lease) => {
        for (const { key } of definitions.list.filter((definition) => definition.unique)) {
          await migrations.rebuildUniqueClaims(key, definitions, since, lease);
        }
      }),
  });
  return {
    service,
    repository,
    claims,
    // Search and merge routes first: /contacts/lookup and /contacts/duplicates must not be taken for a contact id.
    routes: [
      ...contactSearchRoutes(createContactSearchService({ ...deps, repository })),
      ...mergeRoutes(merges, duplicates),
      ...contactRoutes(service, await createIdempotencyStore(deps.db.connection), duplicates),
    ],
    /** What imports must know of merges: ids merged away, and contacts a pending merge is about to change. */
    mergedContacts: { survivorOf: journal.survivorOf, contactsOfPendingMerges: merges.contactsOfPendingMerges },
    /** Completes merges a crashed instance left pending; stop() at shutdown. */
    startMergeRecovery: () => startMergeRecovery(merges, deps.logger),
    migrations,
    backfill,
    documentComponents: async () => contactOpenApiComponents(await deps.definitions.get()),
  };
}
