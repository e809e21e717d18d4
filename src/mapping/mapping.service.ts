import { isDuplicateKeyError } from '../db/duplicate-key';
import { Types } from 'mongoose';
import type { AuditTrail } from '../audit/audit-trail';
import type { Lease } from '../db/lock-lease';
import type { VersionedCache } from '../db/versioned-cache';
import { AppError, validationError } from '../http/app-error';
import type { RequestContext } from '../http/request-context';
import type { MappingModel } from './mapping.model';
import { checkReadOnlyMembers } from '../http/read-only';
import type { Mapping, MappingInput, MappingUpdate } from './mapping.schemas';

export type MappingsCache = VersionedCache<Mapping[]>;

export function toMapping(stored: MappingInput & { _id: unknown }): Mapping {
  return { ...stored, _id: String(stored._id) };
}

function mappingNotFound(id: string): AppError {
  return new AppError('mapping-not-found', `No mapping has the id ${id}.`, { status: 404 });
}

function mappingExists(input: MappingInput): AppError {
  return new AppError('mapping-exists', `${input.callVariable} is already mapped to ${input.key}.`, { status: 409 });
}

export function createMappingService(deps: {
  model: MappingModel;
  mappings: MappingsCache;
  /** Read from the database: another instance may have just defined or deleted the attribute. */
  isAttributeDefined: (key: string) => Promise<boolean>;
  /** Runs a write while no attribute definition changes (the definitions' lock, on every instance). */
  exclusiveWithDefinitions: <T>(write: (lease: Lease) => Promise<T>) => Promise<T>;
  audit: AuditTrail;
  /** Stores the event of a mapping change (the webhooks' outbox) before it is answered. */
  publish: (type: 'mapping.changed', data: Record<string, unknown>) => Promise<void>;
}) {
  const { model, mappings } = deps;

  async function published(action: 'created' | 'updated' | 'deleted', mapping: Mapping): Promise<Mapping> {
    await deps.publish('mapping.changed', { action, mapping });
    return mapping;
  }

  const audited = deps.audit.forResource('call_variable_mappings');

  async function checkKeyDefined(input: MappingInput): Promise<void> {
    if (await deps.isAttributeDefined(input.key)) return;
    throw validationError(
      [{ path: 'key', message: 'is not a defined attribute' }],
      `${input.key} is not a defined contact attribute.`,
    );
  }

  /** The key is checked and the mapping written while the attribute cannot be deleted. */
  function save<T>(input: MappingInput, write: () => Promise<T>): Promise<T> {
    return deps.exclusiveWithDefinitions(async (lease) => {
      await checkKeyDefined(input);
      lease.assertHeld();
      try {
        return await write();
      } catch (error) {
        if (isDuplicateKeyError(error)) throw mappingExists(input);
        throw error;
      } finally {
        await mappings.invalidate();
      }
    });
  }

  return {
    listMappings: () => mappings.get(),

    async createMapping(input: MappingInput, context: RequestContext) {
      const _id = new Types.ObjectId();
      const created = await save(input, () =>
        audited(context, 'create', String(_id), Object.keys(input), async () =>
          toMapping((await model.create({ _id, ...input })).toObject()),
        ),
      );
      return published('created', created);
    },

    async updateMapping(id: string, { _id, ...input }: MappingUpdate, context: RequestContext) {
      checkReadOnlyMembers({ _id }, { _id: id }, 'mapping');
      const updated = await save(input, () =>
        audited(context, 'update', id, Object.keys(input), async () => {
          const updated = await model.findOneAndReplace({ _id: id }, input, { returnDocument: 'after' }).lean();
          if (!updated) throw mappingNotFound(id);
          return toMapping(updated);
        }),
      );
      return published('updated', updated);
    },

    async deleteMapping(id: string, context: RequestContext): Promise<Mapping> {
      const deleted = await audited(context, 'delete', id, [], () => model.findOneAndDelete({ _id: id }).lean());
      if (!deleted) throw mappingNotFound(id);
      await mappings.invalidate();
      return published('deleted', toMapping(deleted));
    },

    /** Read from the database, not the cache: an attribute must not be deleted from under a new mapping. */
    isKeyMapped: async (key: string) => (await model.exists({ key })) !== null,
  };
}

export type MappingService = ReturnType<typeof createMappingService>;
