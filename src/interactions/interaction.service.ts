import type { KeyedLock } from '../db/keyed-lock';
import { toE164 } from '../contacts/phone-number';
import { AppError, validationError } from '../http/app-error';
import { legKeyOf, toLegFields, toLegJson, toTreeJson } from './interaction-json';
import type { StoredLeg } from './interaction.model';
import type { HistoryCursor, TreeRepository } from './interaction.repository';
import type { HistoryQuery, LegJson, SaveLegBody, TreeJson } from './interaction.schemas';

export const maxLegsPerTree = 500;
const maxAttempts = 5;

export interface InteractionServiceDeps {
  repository: TreeRepository;
  lock: KeyedLock;
  defaultPhoneRegion: string;
  phonesOfContact(contactId: string): Promise<string[]>;
}

export function createInteractionService(deps: InteractionServiceDeps) {
  const { repository } = deps;

  function toPhoneKey(raw: string): string | null {
    return toE164(raw, deps.defaultPhoneRegion);
  }

  /**
   * Merges the leg into its tree, or adds it, or creates the tree: read, decide, write, all under the
   * call's lock. FerretDB v1 needs the lock (its updates are not isolated, conditional ones scan the
   * collection); MongoDB takes it too, so that one tested path serves both engines.
   */
  async function writeLeg(callId: string, body: SaveLegBody): Promise<StoredLeg> {
    const legKey = legKeyOf(body.interaction);
    const fields = toLegFields(body.interaction);
    // A tree erased between the read and the write is created again on the next attempt.
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const state = await repository.findLegState(callId, legKey);
      if (state?.leg) {
        const merged = { ...state.leg, ...fields };
        if (isSameLeg(merged, state.leg) || (await repository.mergeIntoLeg(callId, legKey, fields))) return merged;
        continue;
      }
      if (state && state.legCount >= maxLegsPerTree) throw treeFull(callId);
      const leg: StoredLeg = { ...fields, addedAt: new Date() };
      const written = state
        ? await repository.addLeg(callId, legKey, leg)
        : await createTree(callId, body.ani, legKey, leg);
      if (written) return leg;
    }
    throw new AppError('busy', 'The call is being changed by other requests; retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '1' },
    });
  }

  async function createTree(callId: string, ani: string | undefined, legKey: string, leg: StoredLeg): Promise<boolean> {
    if (ani === undefined) {
      throw validationError([{ path: 'ani', message: 'is required on the first post of a call' }]);
    }
    return repository.insertTree({
      _id: callId,
      phone_number: ani,
      phoneKey: toPhoneKey(ani),
      startedAt: leg.start_time,
      legs: { [legKey]: leg },
      legCount: 1,
    });
  }

  async function historyCursor(before: string | undefined): Promise<HistoryCursor | undefined> {
    if (before === undefined) return undefined;
    const cursor = await repository.findCursor(before);
    if (!cursor) throw validationError([{ path: 'query.before', message: 'is not the call_Id of a stored call' }]);
    return cursor;
  }

  function normalisePhones(phones: string[]): string[] {
    return [...new Set(phones.map((phone) => toPhoneKey(phone) ?? phone))];
  }

  return {
    async saveLeg(callId: string, body: SaveLegBody): Promise<LegJson> {
      if (body.call_Id !== undefined && body.call_Id !== callId) {
        throw validationError([{ path: 'call_Id', message: 'must equal the call_Id of the path' }]);
      }
      return toLegJson(await deps.lock.run(`call:${callId}`, () => writeLeg(callId, body)));
    },

    async loadContactHistory(contactId: string, query: HistoryQuery): Promise<TreeJson[]> {
      const phones = normalisePhones(await deps.phonesOfContact(contactId));
      const cursor = await historyCursor(query.before);
      if (phones.length === 0) return [];
      const trees = await repository.findTreesByPhones(phones, query.limit, cursor);
      return trees.map(toTreeJson);
    },

    async loadCall(callId: string): Promise<TreeJson> {
      const tree = await repository.findTree(callId);
      if (!tree) throw new AppError('call-not-found', `No interaction tree for call ${callId}.`, { status: 404 });
      return toTreeJson(tree);
    },

    /** Right to erasure: deletes every tree whose ANI is one of these numbers. */
    async eraseCallsOfPhones(phones: string[]): Promise<number> {
      const keys = normalisePhones(phones);
      return keys.length ? repository.deleteTreesByPhones(keys) : 0;
    },
  };
}

function isSameLeg(a: StoredLeg, b: StoredLeg): boolean {
  return JSON.stringify(toLegJson(a)) === JSON.stringify(toLegJson(b));
}

function treeFull(callId: string): AppError {
  return new AppError('interaction-tree-full', `Call ${callId} already has ${maxLegsPerTree} legs.`, {
    status: 409,
    details: { maxLegs: maxLegsPerTree },
  });
}

export type InteractionService = ReturnType<typeof createInteractionService>;
