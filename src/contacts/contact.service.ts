import { isDeepStrictEqual } from 'node:util';
import { Types, trusted } from 'mongoose';
import type { AuditFacts, AuditTrail } from '../audit/audit-trail';
import type { KeyedLock } from '../db/keyed-lock';
import { AppError } from '../http/app-error';
import { checkReadOnlyMembers, splitReadOnlyMembers } from '../http/read-only';
import type { RequestContext } from '../http/request-context';
import { uniqueTokenOf } from '../schema/attribute-types';
import type { Definitions, DefinitionsCache } from '../schema/definitions';
import type { ContactDocument, ContactModel } from './contact.model';
import { attributesOf, contactReadOnlyMembers, toContactResponse, type ContactResponse } from './contact-response';
import { checkCompleteContact, parseContactPatch } from './contact-validation';
import { searchFieldsOf, withoutSearchFields, type ContactAttributes } from './search-fields';
import type { UniqueClaims, UniqueEntry } from './unique-claims';

export interface ContactsServiceDependencies {
  contacts: ContactModel;
  claims: UniqueClaims;
  definitions: DefinitionsCache;
  lock: KeyedLock;
  phoneRegion: string;
  eraseCallsOfPhones: (phones: string[]) => Promise<number>;
  audit: AuditTrail;
}

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

export function contactNotFound(id: string): AppError {
  return new AppError('contact-not-found', `No contact has the id ${id}.`, { status: 404 });
}

export function createContactsService(deps: ContactsServiceDependencies) {
  const { contacts, claims } = deps;

  async function findDocument(id: string): Promise<ContactDocument> {
    const document = await contacts.findById(id).lean<ContactDocument>();
    if (!document) throw contactNotFound(id);
    return document;
  }

  function eraseCalls(context: RequestContext, contactId: string, phones: string[]): Promise<number> {
    const facts = { action: 'erase' as const, resource: 'interaction_trees' as const, changed: [] };
    return deps.audit.record(context, auditFacts(contactId, facts), () => deps.eraseCallsOfPhones(phones), {
      count: (count) => count,
    });
  }

  function storedForm(id: Types.ObjectId, attributes: ContactAttributes, definitions: Definitions) {
    return { ...attributes, ...searchFieldsOf(attributes, definitions, id) };
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
        const existing = await contacts.findById(_id).lean<ContactDocument>();
        if (existing) return toContactResponse(existing);
      }
      await claims.claim(String(_id), uniqueEntriesOf(attributes, definitions));
      const now = new Date();
      const created = { _id, ...storedForm(_id, attributes, definitions), createdAt: now, updatedAt: now };
      try {
        // The driver stores keys such as toObject or constructor as data; a Mongoose document takes them as members.
        // The entry shares the contact's id: a retry after a crash between the two writes keeps the first entry.
        const facts = { action: 'create' as const, changed: Object.keys(attributes) };
        await deps.audit.record(context, auditFacts(String(_id), facts), () => contacts.collection.insertOne(created), {
          entryId: _id,
        });
        return toContactResponse(created);
      } catch (error) {
        await claims.releaseAllOf(String(_id));
        throw error;
      }
    },

    async getContact(id: string): Promise<ContactResponse> {
      // The hottest read: straight to the driver, the id already checked by the route.
      const document = await contacts.collection.findOne<ContactDocument>(
        { _id: new Types.ObjectId(id) },
        { projection: withoutSearchFields },
      );
      if (!document) throw contactNotFound(id);
      return toContactResponse(document);
    },

    /** Merges: attributes sent are set, attributes sent as null removed, the rest kept. */
    updateContact(id: string, body: Record<string, unknown>, context: RequestContext): Promise<ContactResponse> {
      const [sentReadOnly, attributes] = splitReadOnlyMembers(body, contactReadOnlyMembers);
      return deps.lock.run(`contact:${id}`, async () => {
        const existing = await findDocument(id);
        checkReadOnlyMembers(sentReadOnly, existing, 'contact');
        const definitions = await deps.definitions.get();
        const patch = parseContactPatch(attributes, definitions, deps.phoneRegion);
        const current = attributesOf(existing);
        const merged = Object.fromEntries(
          Object.entries({ ...current, ...patch.set }).filter(([key]) => !patch.unset.includes(key)),
        );
        checkCompleteContact(merged, definitions);
        const [before, after] = [uniqueEntriesOf(current, definitions), uniqueEntriesOf(merged, definitions)];
        const added = after.filter((entry) => !before.some((old) => old.token === entry.token));
        const removed = before.filter((entry) => !after.some((now) => now.token === entry.token));
        await claims.claim(id, added);
        const updated = {
          _id: existing._id,
          ...storedForm(existing._id, merged, definitions),
          createdAt: existing.createdAt,
          updatedAt: new Date(),
        };
        try {
          const facts = { action: 'update' as const, changed: changedKeys(current, merged) };
          await deps.audit.record(context, auditFacts(id, facts), () =>
            contacts.collection.replaceOne({ _id: existing._id }, updated),
          );
        } catch (error) {
          await claims.release(id, added);
          throw error;
        }
        await claims.release(id, removed);
        return toContactResponse(updated);
      });
    },

    /** Keeps the contact's calls unless erase is asked for (right to erasure). */
    deleteContact(id: string, erase: boolean, context: RequestContext): Promise<ContactResponse> {
      return deps.lock.run(`contact:${id}`, async () => {
        const existing = await findDocument(id);
        const erased = erase ? await eraseCalls(context, id, existing._phones) : undefined;
        const facts = { action: 'delete' as const, changed: Object.keys(attributesOf(existing)) };
        await deps.audit.record(context, auditFacts(id, facts), () => contacts.deleteOne({ _id: existing._id }));
        await claims.releaseAllOf(id);
        return { ...toContactResponse(existing), ...(erase ? { _erasedInteractions: erased } : {}) };
      });
    },

    /** Newest first; keyset paging on _id, so a deleted last id still works. */
    async listContacts(limit: number, afterId?: string): Promise<ContactResponse[]> {
      const filter = afterId ? { _id: trusted({ $lt: new Types.ObjectId(afterId) }) } : {};
      const page = await contacts
        .find(filter)
        .sort({ _id: -1 })
        .limit(limit)
        .select(withoutSearchFields)
        .lean<ContactDocument[]>();
      return page.map(toContactResponse);
    },

    async phonesOfContact(id: string): Promise<string[]> {
      const document = await contacts.collection.findOne<Pick<ContactDocument, '_phones'>>(
        { _id: new Types.ObjectId(id) },
        { projection: { _phones: 1 } },
      );
      if (!document) throw contactNotFound(id);
      return document._phones ?? [];
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
