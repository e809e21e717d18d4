import { Types, trusted } from 'mongoose';
import { currentRequest } from '../http/request-context';
import type { AuditEntry, AuditModel } from './audit.model';

export type AuditFacts = Pick<AuditEntry, 'action' | 'resource' | 'entityId' | 'contactId' | 'changed'>;

export interface AuditPage {
  limit: number;
  before?: string;
  contactId?: string;
}

export function createAuditTrail(model: AuditModel) {
  return {
    /**
     * Writes the entry first, then makes the change, and withdraws the entry if the change fails:
     * a change that succeeded is never missing from the trail.
     */
    async record<T>(facts: AuditFacts, change: () => Promise<T>, count?: (result: T) => number): Promise<T> {
      const request = currentRequest();
      const _id = new Types.ObjectId();
      await model.create({
        _id,
        ...facts,
        at: new Date(),
        keyId: request?.actor?.keyId ?? 'internal',
        role: request?.actor?.role ?? 'internal',
        requestId: request?.requestId ?? 'internal',
      });
      try {
        const result = await change();
        if (count) await model.updateOne({ _id }, { $set: { count: count(result) } });
        return result;
      } catch (error) {
        await model.deleteOne({ _id });
        throw error;
      }
    },

    /** Newest first, keyset-paged by entry id. */
    async list({ limit, before, contactId }: AuditPage) {
      const filter = {
        ...(before ? { _id: trusted({ $lt: new Types.ObjectId(before) }) } : {}),
        ...(contactId ? { contactId } : {}),
      };
      const entries = await model.find(filter).sort({ _id: -1 }).limit(limit).lean();
      return entries.map(({ _id, at, ...entry }) => ({ _id: String(_id), at: at.toISOString(), ...entry }));
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
