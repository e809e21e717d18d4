import { isDuplicateKeyError } from '../db/duplicate-key';
import { Types, trusted } from 'mongoose';
import type { RequestContext } from '../http/request-context';
import type { AuditEntry, AuditModel } from './audit.model';

export type AuditFacts = Pick<
  AuditEntry,
  'action' | 'resource' | 'entityId' | 'contactId' | 'changed' | 'mergedIds' | 'keysTaken'
>;

export interface AuditOptions<T> {
  /** How many records the change touched (erasures), stored with the entry. */
  count?: (result: T) => number;
  /**
   * The entry's id, for a change a retry after a crash may run again (a create with a reserved id): the retry
   * finds the entry its crashed attempt wrote and keeps it, so the change is recorded once.
   */
  entryId?: Types.ObjectId;
}

export interface AuditPage {
  limit: number;
  before?: string;
  contactId?: string;
}

export function createAuditTrail(model: AuditModel) {
  /** With `once`, an entry of this id written before (by a crashed attempt) is kept as it is. */
  async function writeEntry(request: RequestContext, facts: AuditFacts, _id: Types.ObjectId, once: boolean) {
    const entry = {
      _id,
      ...facts,
      at: new Date(),
      keyId: request.actor?.keyId ?? 'internal',
      role: request.actor?.role ?? 'internal',
      requestId: request.requestId,
    };
    await model.create(entry).catch((error: unknown) => {
      if (!once || !isDuplicateKeyError(error)) throw error;
    });
  }

  const trail = {
    /**
     * Writes the entry first, then makes the change, and withdraws the entry if the change fails:
     * a change that succeeded is never missing from the trail.
     */
    async record<T>(
      request: RequestContext,
      facts: AuditFacts,
      change: () => Promise<T>,
      options: AuditOptions<T> = {},
    ): Promise<T> {
      const _id = options.entryId ?? new Types.ObjectId();
      await writeEntry(request, facts, _id, !!options.entryId);
      try {
        const result = await change();
        if (options.count) await model.updateOne({ _id }, { $set: { count: options.count(result) } });
        return result;
      } catch (error) {
        await model.deleteOne({ _id });
        throw error;
      }
    },

    /**
     * Records a change that is sure to complete (a merge past its journal): written once whatever the retries, never
     * withdrawn.
     */
    recordCommitted: (request: RequestContext, facts: AuditFacts, entryId: Types.ObjectId) =>
      writeEntry(request, facts, entryId, true),

    /** Newest first, keyset-paged by entry id. */
    async list({ limit, before, contactId }: AuditPage) {
      const filter = {
        ...(before ? { _id: trusted({ $lt: new Types.ObjectId(before) }) } : {}),
        ...(contactId ? { contactId } : {}),
      };
      const entries = await model.find(filter).sort({ _id: -1 }).limit(limit).lean();
      return entries.map(({ _id, at, ...entry }) => ({ _id: String(_id), at: at.toISOString(), ...entry }));
    },

    /** A recorder for one resource whose entries are keyed by the changed entity's id (definitions, mappings). */
    forResource(resource: AuditFacts['resource']) {
      return <T>(
        request: RequestContext,
        action: AuditFacts['action'],
        entityId: string,
        changed: string[],
        change: () => Promise<T>,
      ) => trail.record(request, { action, resource, entityId, changed }, change);
    },
  };
  return trail;
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
