import type { Response } from 'express';
import { isDeepStrictEqual } from 'node:util';
import { Types } from 'mongoose';
import type { AuditFacts, AuditTrail } from '../audit/audit-trail';
import type { KeyedLock } from '../db/keyed-lock';
import { validationError } from '../http/app-error';
import { checkReadOnlyMembers, splitReadOnlyMembers } from '../http/read-only';
import type { RequestContext } from '../http/request-context';
import { uniqueTokenOf } from '../attributes/attribute-types';
import type { Definitions, DefinitionsCache } from '../attributes/definitions';
import { absorbedPhonesOf, contactLockKey, type ContactDocument, type MergedFrom } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { contactMerged, contactMovedTo, contactNotFound } from './contact-errors';
import type { MergeJournal } from './merge-journal';
import type { MergeService } from './merge.service';
import { streamExport, type ExportFormat } from './contact-export';
import {
  attributesOf,
  contactReadOnlyMembers,
  mergedFromMember,
  mergedFromSchema,
  toContactResponse,
  type ContactResponse,
} from './contact-response';
import { checkCompleteContact, parseContactPatch, type ContactPatch } from './contact-validation';
import { searchFieldsOf, type ContactAttributes } from './search-fields';
import type { UniqueClaims, UniqueEntry } from './unique-claims';

export interface ContactsServiceDependencies {
  repository: ContactRepository;
  claims: UniqueClaims;
  definitions: DefinitionsCache;
  lock: KeyedLock;
  phoneRegion: string;
  eraseCallsOfPhones: (phones: string[]) => Promise<number>;
  audit: AuditTrail;
  merges: Pick<MergeService, 'refuseWhilePending'> & Pick<MergeJournal, 'survivorOf'>;
  publish: PublishContactEvent;
}

/** Stores a contact event (the webhooks' outbox) before the change is answered; a given id makes it once. */
export type PublishContactEvent = (
  type: 'contact.created' | 'contact.updated' | 'contact.deleted' | 'contact.merged',
  data: Record<string, unknown>,
  eventId?: Types.ObjectId,
) => Promise<void>;

export function uniqueEntriesOf(attributes: ContactAttributes, definitions: Definitions): UniqueEntry[] {
  return definitions.list
    .filter((definition) => definition.unique && Object.hasOwn(attributes, definition.key))
    .map(({ key, type }) => ({ key, token: uniqueTokenOf(key, type, attributes[key]) }));
}

function auditFacts(
  contactId: string,
  facts: Pick<AuditFacts, 'action' | 'changed'> & Partial<AuditFacts>,
): AuditFacts {
  return { resource: 'contacts', entityId: contactId, contactId, ...facts };
}

/** Attribute keys whose value differs, never the values themselves. */
function changedKeys(before: ContactAttributes, after: ContactAttributes): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

/** The contact a patch makes (checked complete), the unique values it claims and releases, the keys it changes. */
export function planUpdate(current: ContactAttributes, patch: ContactPatch, definitions: Definitions) {
  const merged = Object.fromEntries(
    Object.entries({ ...current, ...patch.set }).filter(([key]) => !patch.unset.includes(key)),
  );
  checkCompleteContact(merged, definitions);
  const [before, after] = [uniqueEntriesOf(current, definitions), uniqueEntriesOf(merged, definitions)];
  return {
    merged,
    added: after.filter((entry) => !before.some((old) => old.token === entry.token)),
    removed: before.filter((entry) => !after.some((now) => now.token === entry.token)),
    changed: changedKeys(current, merged),
  };
}

/** A contact as stored: its attributes, the contacts merged into it, and the search fields derived from both. */
export function storedForm(
  id: Types.ObjectId,
  attributes: ContactAttributes,
  definitions: Definitions,
  mergedFrom: MergedFrom[] = [],
) {
  const absorbed = absorbedPhonesOf({ _mergedFrom: mergedFrom });
  return {
    ...attributes,
    ...(mergedFrom.length ? { _mergedFrom: mergedFrom } : {}),
    ...searchFieldsOf(attributes, definitions, id, absorbed),
  };
}

/** mergedFrom is the server's: a PUT may send it back as GET returned it (then it is ignored), nothing else. */
function checkMergedFromShape(sent: unknown): void {
  if (sent !== undefined && !mergedFromSchema.safeParse(sent).success) {
    throw validationError([
      { path: mergedFromMember, message: 'is read-only: send it as GET returned it, or leave it out' },
    ]);
  }
}

export function createContactsService(deps: ContactsServiceDependencies) {
  const { repository, claims } = deps;

  /** The contact a write may change: a merged one is 409, one whose merge a crash left pending is 503 for now. */
  async function findWritable(id: string): Promise<ContactDocument> {
    const document = await repository.findById(id);
    if (!document) {
      const survivorId = await deps.merges.survivorOf(id);
      throw survivorId ? contactMerged(id, survivorId) : contactNotFound(id);
    }
    await deps.merges.refuseWhilePending([id]);
    return document;
  }

  /** The contact created, once its event is stored: the event's id is the contact's, so a retry makes it once. */
  async function published(contact: ContactResponse, id: Types.ObjectId): Promise<ContactResponse> {
    await deps.publish('contact.created', { contact }, id);
    return contact;
  }

  function eraseCalls(context: RequestContext, contactId: string, phones: string[]): Promise<number> {
    const facts = { action: 'erase' as const, resource: 'interaction_trees' as const, changed: [] };
    return deps.audit.record(context, auditFacts(contactId, facts), () => deps.eraseCallsOfPhones(phones), {
      count: (count) => count,
    });
  }

  return {
    /** With a reserved id (Idempotency-Key), a retry after a crash finds the contact instead of making another. */
    async createContact(
      body: Record<string, unknown>,
      context: RequestContext,
      reservedId?: string,
    ): Promise<ContactResponse> {
      const definitions = await deps.definitions.get();
      const { set: attributes } = parseContactPatch(body, definitions, deps.phoneRegion);
      checkCompleteContact(attributes, definitions);
      const _id = new Types.ObjectId(reservedId);
      if (reservedId) {
        const existing = await repository.findById(_id);
        // The retry of a create that crashed after its write publishes the event it may have missed.
        if (existing) return published(toContactResponse(existing), _id);
      }
      await claims.claim(String(_id), uniqueEntriesOf(attributes, definitions));
      const now = new Date();
      const created = { _id, ...storedForm(_id, attributes, definitions), createdAt: now, updatedAt: now };
      try {
        // The entry shares the contact's id: a retry after a crash between the two writes keeps the first entry.
        const facts = { action: 'create' as const, changed: Object.keys(attributes) };
        await deps.audit.record(context, auditFacts(String(_id), facts), () => repository.insert(created), {
          entryId: _id,
        });
      } catch (error) {
        await claims.releaseAllOfContact(String(_id));
        throw error;
      }
      return published(toContactResponse(created), _id);
    },

    async getContact(id: string): Promise<ContactResponse> {
      const document = await repository.findAttributesById(id);
      if (document) return toContactResponse(document);
      const survivorId = await deps.merges.survivorOf(id);
      throw survivorId ? contactMovedTo(id, survivorId) : contactNotFound(id);
    },

    /** Merges: attributes sent are set, attributes sent as null removed, the rest kept. */
    updateContact(id: string, body: Record<string, unknown>, context: RequestContext): Promise<ContactResponse> {
      const { [mergedFromMember]: sentMergedFrom, ...sent } = body;
      checkMergedFromShape(sentMergedFrom);
      const [sentReadOnly, attributes] = splitReadOnlyMembers(sent, contactReadOnlyMembers);
      return deps.lock.run(contactLockKey(id), async (lease) => {
        const existing = await findWritable(id);
        checkReadOnlyMembers(sentReadOnly, existing, 'contact');
        const definitions = await deps.definitions.get();
        const patch = parseContactPatch(attributes, definitions, deps.phoneRegion);
        const { merged, added, removed, changed } = planUpdate(attributesOf(existing), patch, definitions);
        await claims.claim(id, added);
        const updated = {
          _id: existing._id,
          ...storedForm(existing._id, merged, definitions, existing._mergedFrom),
          createdAt: existing.createdAt,
          updatedAt: new Date(),
        };
        try {
          const facts = { action: 'update' as const, changed };
          lease.assertHeld();
          await deps.audit.record(context, auditFacts(id, facts), () => repository.replace(updated));
        } catch (error) {
          await claims.release(id, added);
          throw error;
        }
        await claims.release(id, removed);
        const contact = toContactResponse(updated);
        if (changed.length) await deps.publish('contact.updated', { contact, changedKeys: changed });
        return contact;
      });
    },

    /** Keeps the contact's calls unless erase is asked for (right to erasure). */
    deleteContact(id: string, erase: boolean, context: RequestContext): Promise<ContactResponse> {
      return deps.lock.run(contactLockKey(id), async (lease) => {
        const existing = await findWritable(id);
        lease.assertHeld();
        const erased = erase ? await eraseCalls(context, id, existing._phones) : undefined;
        const facts = { action: 'delete' as const, changed: Object.keys(attributesOf(existing)) };
        await deps.audit.record(context, auditFacts(id, facts), () => repository.deleteById(existing._id));
        await claims.releaseAllOfContact(id);
        const contact = toContactResponse(existing);
        await deps.publish('contact.deleted', { contact, ...(erase ? { erasedInteractions: erased } : {}) });
        return { ...contact, ...(erase ? { _erasedInteractions: erased } : {}) };
      });
    },

    /** Newest first; the page after `afterId` when given. */
    async listContacts(limit: number, afterId?: string): Promise<ContactResponse[]> {
      return (await repository.listNewestFirst(limit, afterId)).map(toContactResponse);
    },

    /** Every contact (changed since `updatedSince`), streamed to the response as CSV or NDJSON. */
    async exportContacts(format: ExportFormat, updatedSince: Date | undefined, res: Response): Promise<void> {
      await streamExport(repository.streamAttributes(updatedSince), await deps.definitions.get(), format, res);
    },

    /** The numbers of a contact's calls; a merged contact's are its survivor's (which include its own). */
    async phonesOfContact(id: string): Promise<string[]> {
      const phones = await repository.phonesOf(id);
      if (phones) return phones;
      const survivorId = await deps.merges.survivorOf(id);
      const survivorPhones = survivorId && (await repository.phonesOf(survivorId));
      if (!survivorPhones) throw contactNotFound(id);
      return survivorPhones;
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
