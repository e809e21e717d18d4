import { Types } from 'mongoose';
import type { AuditTrail } from '../audit/audit-trail';
import type { Definitions, DefinitionsCache } from '../attributes/definitions';
import type { KeyedLock } from '../db/keyed-lock';
import type { Lease } from '../db/lock-lease';
import { AppError, validationError } from '../http/app-error';
import { LockTimeoutError } from '../db/lock-errors';
import type { RequestContext } from '../http/request-context';
import { contactMerged, contactNotFound, mergeBeingCompleted, mergeInProgress } from './contact-errors';
import { contactLockKey, type ContactDocument } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { attributesOf, toContactResponse } from './contact-response';
import { storedForm, uniqueEntriesOf, type PublishContactEvent } from './contact.service';
import type { MergeJournal, MergeRecord, PlannedSurvivor } from './merge-journal';
import { planMerge, type MergePlan } from './merge-plan';
import type { ContactAttributes } from './search-fields';
import { valueTaken, type UniqueClaims } from './unique-claims';

export interface MergeRequest {
  survivorId: string;
  mergedIds: string[];
  fieldSources: Record<string, string>;
  dryRun: boolean;
}

export interface MergeServiceDependencies {
  repository: ContactRepository;
  claims: UniqueClaims;
  journal: MergeJournal;
  definitions: DefinitionsCache;
  lock: KeyedLock;
  audit: AuditTrail;
  publish: PublishContactEvent;
}

type ClaimPlan = Pick<MergeRecord, 'claimMoves' | 'releasedClaims'> & { fresh: ReturnType<typeof uniqueEntriesOf> };

/** Held while a merge runs, so that a second merge touching one of its contacts is refused instead of queued. */
const mergeMarkerKey = (id: string) => `merging:${id}`;
const idOf = (document: ContactDocument) => String(document._id);

function checkRequest({ survivorId, mergedIds }: MergeRequest): void {
  if (mergedIds.includes(survivorId)) {
    throw validationError([{ path: 'mergedIds', message: 'must not hold survivorId: a contact cannot absorb itself' }]);
  }
  if (new Set(mergedIds).size < mergedIds.length) {
    throw validationError([{ path: 'mergedIds', message: 'names a contact twice' }]);
  }
}

/** The survivor as the merge writes it: the planned attributes, every merged contact's numbers, a new updatedAt. */
function plannedSurvivor(survivor: ContactDocument, plan: MergePlan): PlannedSurvivor {
  const { attributes, mergedFrom } = plan;
  return { attributes, mergedFrom, createdAt: survivor.createdAt, updatedAt: new Date() };
}

function storedSurvivor(id: string, planned: PlannedSurvivor, definitions: Definitions): ContactDocument {
  const _id = new Types.ObjectId(id);
  const { attributes, mergedFrom, createdAt, updatedAt } = planned;
  return { _id, ...storedForm(_id, attributes, definitions, mergedFrom), createdAt, updatedAt };
}

function auditFactsOf(record: MergeRecord) {
  const { survivorId, mergedIds, keysTaken } = record;
  const changed = [...new Set(keysTaken.flatMap((taken) => taken.keys))];
  const survivor = { entityId: survivorId, contactId: survivorId };
  return { action: 'merge' as const, resource: 'contacts' as const, ...survivor, changed, mergedIds, keysTaken };
}

/** What recovery expects to meet: the merge's contacts still held by the merge that wrote it, or by a write. */
function isContactsBusy(error: unknown): boolean {
  return error instanceof LockTimeoutError || (error instanceof AppError && error.code === 'merge-in-progress');
}

export function createMergeService(deps: MergeServiceDependencies) {
  const { repository, claims, journal } = deps;

  /** Runs fn while no other merge may touch these contacts; a merge already touching one is 409 at once. */
  async function exclusively<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
    const markers = await deps.lock.holdMany(ids.map(mergeMarkerKey));
    try {
      if (markers.held.length < ids.length) {
        throw mergeInProgress(ids.filter((id) => !markers.held.includes(mergeMarkerKey(id))));
      }
      return await fn();
    } finally {
      await markers.release();
    }
  }

  async function loadContact(id: string): Promise<ContactDocument> {
    const document = await repository.findById(id);
    if (document) return document;
    const survivorId = await journal.survivorOf(id);
    throw survivorId ? contactMerged(id, survivorId) : contactNotFound(id);
  }

  /** The contacts of merges decided but not completed (after a crash, until recovery): none, nearly always. */
  async function contactsOfPendingMerges(): Promise<Set<string>> {
    const pending = await journal.pending();
    return new Set(pending.flatMap((record) => [record.survivorId, ...record.mergedIds]));
  }

  /** A merge an instance crashed in must be completed (by recovery) before its contacts change again. */
  async function refuseWhilePending(ids: string[]): Promise<void> {
    const pending = await contactsOfPendingMerges();
    const involved = ids.find((id) => pending.has(id));
    if (involved) throw mergeBeingCompleted(involved);
  }

  /** Unique values the survivor ends with: handed over from merged contacts, claimed anew, or given up. */
  async function planClaims(
    survivor: ContactDocument,
    merged: ContactDocument[],
    attributes: ContactAttributes,
    definitions: Definitions,
  ): Promise<ClaimPlan> {
    const before = uniqueEntriesOf(attributesOf(survivor), definitions);
    const after = uniqueEntriesOf(attributes, definitions);
    const holders = await claims.holdersOf(after.map((entry) => entry.token));
    const mergedIds = new Set(merged.map(idOf));
    const claimMoves: ClaimPlan['claimMoves'] = [];
    const fresh: ClaimPlan['fresh'] = [];
    for (const entry of after) {
      const holder = holders.get(entry.token);
      if (holder && mergedIds.has(holder)) claimMoves.push({ token: entry.token, from: holder });
      else if (holder !== idOf(survivor)) fresh.push(entry);
    }
    const releasedClaims = before.filter((entry) => !after.some((kept) => kept.token === entry.token));
    return { claimMoves, releasedClaims, fresh };
  }

  /** The claims the survivor ends with: handed over first, so that releasing the merged contacts' spares them. */
  async function settleClaims(record: MergeRecord): Promise<void> {
    await claims.handOver(record.claimMoves, record.survivorId);
    await Promise.all(record.mergedIds.map((id) => claims.releaseAllOfContact(id)));
    await claims.release(record.survivorId, record.releasedClaims);
  }

  /**
   * Every step is idempotent: the request runs them once, recovery again after a crash at any of them. The merged
   * contacts go once the survivor holds their numbers, so that screen pop by one always finds somebody.
   */
  async function complete(record: MergeRecord, lease: Lease): Promise<void> {
    const survivor = storedSurvivor(record.survivorId, record.survivor!, await deps.definitions.get());
    lease.assertHeld();
    await Promise.all([
      deps.audit.recordCommitted(record.context, auditFactsOf(record), record._id),
      repository.replace(survivor),
      settleClaims(record),
    ]);
    lease.assertHeld();
    await Promise.all(record.mergedIds.map((id) => repository.deleteById(new Types.ObjectId(id))));
    // The journal's id is the event's: completed again after a crash, the merge is published once.
    const { mergedIds, keysTaken } = record;
    const contact = toContactResponse(survivor);
    await deps.publish('contact.merged', { contact, mergedIds, keysTaken }, record._id);
    await journal.complete(record._id);
  }

  /** Reads the contacts and plans the merge; nothing is written. */
  async function prepare(request: MergeRequest) {
    const ids = [request.survivorId, ...request.mergedIds];
    const [survivor, ...merged] = await Promise.all(ids.map(loadContact));
    const definitions = await deps.definitions.get();
    const plan = planMerge(survivor, merged, request.fieldSources, definitions);
    const planned = plannedSurvivor(survivor, plan);
    const claimPlan = await planClaims(survivor, merged, plan.attributes, definitions);
    const answer = {
      contact: toContactResponse(storedSurvivor(request.survivorId, planned, definitions)),
      mergedIds: request.mergedIds,
      conflicts: plan.conflicts,
      dryRun: request.dryRun,
    };
    return { plan, planned, claimPlan, answer };
  }

  /** The answer a merge would give, or its 409 when a unique value it would take is another contact's. */
  async function dryRun(request: MergeRequest) {
    const { claimPlan, answer } = await prepare(request);
    const held = await claims.holdersOf(claimPlan.fresh.map((entry) => entry.token));
    const taken = claimPlan.fresh.find((entry) => held.has(entry.token));
    if (taken) throw valueTaken(taken.key);
    return answer;
  }

  /** Claims the survivor's new unique values, writes the journal (from then on the merge is decided), completes it. */
  async function mergeHolding(request: MergeRequest, context: RequestContext, lease: Lease) {
    const [, { plan, planned, claimPlan, answer }] = await Promise.all([
      refuseWhilePending([request.survivorId, ...request.mergedIds]),
      prepare(request),
    ]);
    await claims.claim(request.survivorId, claimPlan.fresh);
    const record: MergeRecord = {
      _id: new Types.ObjectId(),
      state: 'pending',
      survivorId: request.survivorId,
      mergedIds: request.mergedIds,
      keysTaken: plan.keysTaken,
      survivor: planned,
      claimMoves: claimPlan.claimMoves,
      releasedClaims: claimPlan.releasedClaims,
      context: { requestId: context.requestId, ...(context.actor ? { actor: context.actor } : {}) },
      createdAt: new Date(),
    };
    try {
      lease.assertHeld();
      await journal.begin(record);
    } catch (error) {
      await claims.release(request.survivorId, claimPlan.fresh);
      throw error;
    }
    await complete(record, lease);
    return answer;
  }

  return {
    /** A dry run reads and plans only; a merge holds every contact's lock, so writes to them wait for it. */
    mergeContacts(request: MergeRequest, context: RequestContext) {
      checkRequest(request);
      if (request.dryRun) return dryRun(request);
      const ids = [request.survivorId, ...request.mergedIds];
      return exclusively(ids, () =>
        deps.lock.runAll(ids.map(contactLockKey), (lease) => mergeHolding(request, context, lease)),
      );
    },

    /** Completes the merges left pending by a crashed instance; one whose contacts are still held waits its turn. */
    async completePendingMerges(): Promise<number> {
      let completed = 0;
      for (const { _id, survivorId, mergedIds } of await journal.pending()) {
        const ids = [survivorId, ...mergedIds];
        const done = await exclusively(ids, () =>
          deps.lock.runAll(ids.map(contactLockKey), async (lease) => {
            const record = await journal.find(_id);
            if (record?.state !== 'pending') return false;
            await complete(record, lease);
            return true;
          }),
        ).catch((error: unknown) => {
          if (isContactsBusy(error)) return false;
          throw error;
        });
        if (done) completed++;
      }
      return completed;
    },

    refuseWhilePending,
    contactsOfPendingMerges,
  };
}

export type MergeService = ReturnType<typeof createMergeService>;
