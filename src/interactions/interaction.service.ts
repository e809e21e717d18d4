import type { KeyedLock } from '../db/keyed-lock';
import type { Lease } from '../db/lock-lease';
import { toE164 } from '../values/phone-number';
import { AppError, validationError } from '../http/app-error';
import { legKeyOf, toLegFields, toLegJson, toTreeJson, withInstant } from './interaction-json';
import type { StoredLeg } from './interaction.model';
import type { HistoryCursor, LegFields, NewTree, TreeRepository } from './interaction.repository';
import { isDuplicateKeyError } from '../db/duplicate-key';
import type { HistoryQuery, LegJson, SaveLegBody, TreeJson } from './interaction.schemas';

const maxLegsPerTree = 500;
// Calls this instance wrote lately: their next posts go straight to the locked update, not to an insert first.
const rememberedCalls = 10_000;

interface LegPost {
  legKey: string;
  fields: LegFields;
  addedAt: Date;
}

export interface InteractionServiceDeps {
  repository: TreeRepository;
  lock: KeyedLock;
  defaultPhoneRegion: string;
  /** IANA zone of a start_time written without an offset. */
  defaultTimeZone: string;
  phonesOfContact(contactId: string): Promise<string[]>;
  /** Stores the event of a saved leg (the webhooks' outbox) before the post is answered. */
  publish(type: 'interaction.leg.saved', data: Record<string, unknown>): Promise<void>;
}

export function createInteractionService(deps: InteractionServiceDeps) {
  const { repository } = deps;

  function toPhoneKey(raw: string): string | null {
    return toE164(raw, deps.defaultPhoneRegion);
  }

  const knownCalls = new Set<string>();
  function remember(callId: string): void {
    knownCalls.delete(callId);
    knownCalls.add(callId);
    if (knownCalls.size > rememberedCalls) knownCalls.delete(knownCalls.values().next().value!);
  }

  /**
   * A post of a call this instance has not written lately, carrying the ANI, is most likely its first: it tries
   * to create the tree in one insert, atomic on every engine, before taking the lock. When the tree exists, the
   * post merges under the lock as any other.
   */
  /** The leg as stored, and the call's ANI (the post's, or the tree's when the post carries none). */
  async function saveLeg(callId: string, body: SaveLegBody): Promise<{ stored: StoredLeg; ani?: string }> {
    const leg = withInstant(body.interaction, deps.defaultTimeZone);
    const post = { legKey: legKeyOf(leg), fields: toLegFields(leg), addedAt: new Date() };
    const newTree = body.ani === undefined ? undefined : { phone_number: body.ani, phoneKey: toPhoneKey(body.ani) };
    const created =
      newTree && !knownCalls.has(callId)
        ? await repository.insertTree(callId, newTree, post.legKey, post.fields, post.addedAt)
        : false;
    const saved = created
      ? { stored: { ...post.fields, addedAt: post.addedAt }, ani: body.ani }
      : await lockedWrite(callId, post, newTree);
    remember(callId);
    return saved;
  }

  function lockedWrite(callId: string, post: LegPost, newTree: NewTree | undefined) {
    return deps.lock.run(`call:${callId}`, (lease) => writeLeg(callId, post, newTree, lease));
  }

  /**
   * Merges the leg into its tree, or adds it, or creates the tree, in one write under the call's lock. FerretDB v1
   * needs the lock (its updates are not isolated); MongoDB takes it too, so that one tested path serves both engines.
   */
  async function writeLeg(callId: string, post: LegPost, newTree: NewTree | undefined, lease: Lease) {
    const { legKey, fields, addedAt } = post;
    const before = await upsertLeg(callId, legKey, fields, addedAt, newTree);
    if (!before) {
      if (!newTree) throw validationError([{ path: 'ani', message: 'is required on the first post of a call' }]);
      return { stored: { ...fields, addedAt }, ani: newTree.phone_number };
    }
    const ani = before.phone_number;
    const stored = before.legs?.[legKey];
    if (stored) return { stored: { ...stored, ...fields }, ani };
    if (Object.keys(before.legs ?? {}).length >= maxLegsPerTree) {
      lease.assertHeld();
      await repository.withdrawLeg(callId, legKey, before.startedAt);
      throw treeFull(callId);
    }
    return { stored: { ...fields, addedAt }, ani };
  }

  /** A holder whose lock lease ran out can race a first post: the loser of the insert finds the tree on retry. */
  async function upsertLeg(...args: Parameters<TreeRepository['upsertLeg']>) {
    try {
      return await repository.upsertLeg(...args);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return repository.upsertLeg(...args);
    }
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
      const { stored, ani } = await saveLeg(callId, body);
      const leg = toLegJson(stored);
      await deps.publish('interaction.leg.saved', { call_Id: callId, ...(ani !== undefined ? { ani } : {}), leg });
      return leg;
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

function treeFull(callId: string): AppError {
  return new AppError('interaction-tree-full', `Call ${callId} already has ${maxLegsPerTree} legs.`, {
    status: 409,
    details: { maxLegs: maxLegsPerTree },
  });
}

export type InteractionService = ReturnType<typeof createInteractionService>;
