import type { Config } from '../config';
import type { DatabaseHandle } from '../db/connection';
import type { KeyedLock } from '../db/keyed-lock';
import type { RouteSpec } from '../http/route';
import { treeModel } from './interaction.model';
import { createTreeRepository } from './interaction.repository';
import { interactionRoutes } from './interaction.routes';
import { createInteractionService, type InteractionServiceDeps } from './interaction.service';

export interface InteractionsDependencies {
  db: DatabaseHandle;
  config: Config;
  lock: KeyedLock;
  /** E.164 numbers of the contact's phone attributes; throws 404 for an unknown contact, 400 for a malformed id. */
  phonesOfContact: (contactId: string) => Promise<string[]>;
  publish: InteractionServiceDeps['publish'];
}

export interface InteractionsFeature {
  routes: RouteSpec[];
  /** Deletes every call tree whose ANI is one of these numbers; resolves to how many were removed. */
  eraseCallsOfPhones: (phones: string[]) => Promise<number>;
  /** Settles when the collection's indexes exist (the app runs with autoIndex off). */
  ready: Promise<void>;
}

export function createInteractionsFeature(deps: InteractionsDependencies): InteractionsFeature {
  const model = treeModel(deps.db.connection);
  const service = createInteractionService({
    repository: createTreeRepository(model),
    lock: deps.lock,
    defaultPhoneRegion: deps.config.CIM_DEFAULT_PHONE_REGION,
    defaultTimeZone: deps.config.CIM_DEFAULT_TIMEZONE,
    phonesOfContact: deps.phonesOfContact,
    publish: deps.publish,
  });
  return {
    routes: interactionRoutes(service),
    eraseCallsOfPhones: (phones) => service.eraseCallsOfPhones(phones),
    ready: model.createIndexes(),
  };
}
