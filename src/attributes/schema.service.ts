import { isDuplicateKeyError } from '../db/duplicate-key';
import { Types } from 'mongoose';
import type { AuditTrail } from '../audit/audit-trail';
import type { UnfinishedMigrations } from './unfinished-migrations';
import type { ValueMigrations, Violations } from './value-migrations';
import type { KeyedLock } from '../db/keyed-lock';
import type { Lease } from '../db/lock-lease';
import { AppError } from '../http/app-error';
import type { RequestContext } from '../http/request-context';
import { checkReadOnlyMembers } from '../http/read-only';
import type { AttributeDefinition, AttributeModel } from './attribute.model';
import type { CreateAttributeInput, UpdateAttributeInput } from './attribute.schemas';
import { checkOptions, planDefinitionChange } from './definition-change';
import { toDefinition, type DefinitionsCache } from './definitions';

const maxAttributes = 100;

/** The lock every definition write holds; mapping writes hold it too, so a mapping never outlives its attribute. */
export const definitionsLockKey = 'attribute-definitions';

export interface SchemaServiceDependencies {
  model: AttributeModel;
  definitions: DefinitionsCache;
  migrations: ValueMigrations;
  isKeyMapped: (key: string) => Promise<boolean>;
  lock: KeyedLock;
  audit: AuditTrail;
  unfinished: UnfinishedMigrations;
  /** Stores the event of a definition change (the webhooks' outbox) before it is answered. */
  publish: (type: 'schema.changed', data: Record<string, unknown>) => Promise<void>;
}

function toAttributeResponse(definition: AttributeDefinition) {
  return {
    ...definition,
    createdAt: definition.createdAt.toISOString(),
    updatedAt: definition.updatedAt.toISOString(),
  };
}

function refuseIfViolated(violations: Violations, change: string, optionsInUse: string[] = []): void {
  if (violations.count === 0) return;
  const because = optionsInUse.length ? ` (they hold ${optionsInUse.join(', ')}, which the change removes)` : '';
  throw new AppError(
    'contacts-violate-change',
    `${violations.count} stored contact(s) would not satisfy ${change}${because}; change those contacts first.`,
    {
      status: 409,
      details: {
        violations: violations.count,
        contactIds: violations.contactIds,
        ...(optionsInUse.length ? { optionsInUse } : {}),
      },
    },
  );
}

/** The options an admin removes that contacts still hold: admin vocabulary, safe to name (other values are not). */
function removedOptionsInUse(existing: AttributeDefinition, violations: Violations): string[] {
  if (existing.type !== 'enum') return [];
  return (existing.options ?? []).filter((option) => violations.valuesOutsideOptions.includes(option));
}

export function createSchemaService(deps: SchemaServiceDependencies) {
  const { model, definitions, migrations, unfinished } = deps;

  const audited = deps.audit.forResource('attribute_definitions');

  async function published<T extends object>(action: 'created' | 'updated' | 'deleted', attribute: T): Promise<T> {
    await deps.publish('schema.changed', { action, attribute });
    return attribute;
  }

  // Every definition write reads first (the count, the stored contacts): one at a time across instances. It
  // finishes what an earlier holder left unfinished before it changes anything.
  const exclusive =
    <A extends unknown[], R>(write: (lease: Lease, ...args: A) => Promise<R>) =>
    (...args: A) =>
      deps.lock.run(definitionsLockKey, async (lease) => {
        await finishUnfinished(lease);
        return write(lease, ...args);
      });

  /**
   * Migrates the stored values of an attribute whose definition changed at `changedAt`: now, and again once no
   * instance can still be writing by the old rule, so values written meanwhile are converted, claimed or erased
   * too. Its record, written before the definition changed, goes once both passes are done.
   */
  async function migrate(lease: Lease, key: string, rewriteValues: boolean, changedAt: Date): Promise<void> {
    for (const pass of [1, 2]) {
      if (pass === 2) await new Promise((resolve) => setTimeout(resolve, definitions.staleForMs));
      const current = await definitions.get();
      if (rewriteValues) await migrations.rewriteAttribute(key, current, lease);
      await migrations.rebuildUniqueClaims(key, current, changedAt, lease);
    }
    lease.assertHeld();
    await unfinished.end(key);
  }

  async function finishUnfinished(lease: Lease): Promise<void> {
    for (const record of await unfinished.list()) {
      await definitions.invalidate();
      await migrate(lease, record._id, record.rewriteValues, record.changedAt);
    }
  }

  function saveDefinition(next: AttributeDefinition) {
    const { _id, createdAt: _createdAt, updatedAt: _updatedAt, options, ...fields } = next;
    return model.updateOne(
      { _id },
      options ? { $set: { ...fields, options } } : { $set: fields, $unset: { options: '' } },
    );
  }

  async function findDefinition(id: string): Promise<AttributeDefinition> {
    const stored = await model.findById(id).lean();
    if (!stored)
      throw new AppError('attribute-not-found', `No attribute definition has the id ${id}.`, { status: 404 });
    return toDefinition(stored);
  }

  return {
    /** At start: finishes the migrations a stopped or crashed instance left unfinished. */
    finishUnfinishedMigrations: () => deps.lock.run(definitionsLockKey, finishUnfinished),

    listDefinitions: async () => (await definitions.get()).list.map(toAttributeResponse),

    createDefinition: exclusive(async (lease, input: CreateAttributeInput, context: RequestContext) => {
      checkOptions(input);
      if ((await model.countDocuments()) >= maxAttributes) {
        throw new AppError('too-many-attributes', `A contact has at most ${maxAttributes} attributes.`, {
          status: 409,
        });
      }
      if (input.required && (await migrations.countContacts()) > 0) {
        refuseIfViolated(await migrations.findViolations(input), `a new required ${input.key}`);
      }
      try {
        const _id = new Types.ObjectId();
        lease.assertHeld();
        await audited(context, 'create', String(_id), Object.keys(input), () =>
          model.create({ _id, ...input, keyLower: input.key.toLowerCase(), system: false }),
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        throw new AppError('attribute-exists', `An attribute with the key ${input.key} already exists.`, {
          status: 409,
        });
      }
      const created = (await definitions.invalidate()).byKey.get(input.key)!;
      return published('created', toAttributeResponse(created));
    }),

    updateDefinition: exclusive(async (lease, id: string, input: UpdateAttributeInput, context: RequestContext) => {
      const existing = await findDefinition(id);
      const { _id: sentId, createdAt, updatedAt, system, ...patch } = input;
      checkReadOnlyMembers({ _id: sentId, createdAt, updatedAt, system }, existing, 'attribute');
      const change = planDefinitionChange(existing, patch);
      if (change.checkContacts) {
        const violations = await migrations.findViolations(change.next);
        refuseIfViolated(violations, `the new rule of ${existing.key}`, removedOptionsInUse(existing, violations));
      }
      const changedAt = new Date();
      lease.assertHeld();
      if (change.rebuildClaims) await unfinished.begin(existing.key, change.rewriteValues, changedAt);
      await audited(context, 'update', existing._id, change.changed, () => saveDefinition(change.next));
      const after = await definitions.invalidate();
      if (change.rebuildClaims) await migrate(lease, existing.key, change.rewriteValues, changedAt);
      return published('updated', toAttributeResponse(after.byKey.get(existing.key)!));
    }),

    /** Removes the definition and its values from every contact (they are personal data). */
    deleteDefinition: exclusive(async (lease, id: string, context: RequestContext) => {
      const existing = await findDefinition(id);
      if (existing.system) {
        throw new AppError('system-attribute', `The system attribute ${existing.key} cannot be deleted.`, {
          status: 409,
        });
      }
      if (await deps.isKeyMapped(existing.key)) {
        throw new AppError(
          'attribute-in-use',
          `A call-variable mapping uses ${existing.key}; delete the mapping first.`,
          { status: 409 },
        );
      }
      const changedAt = new Date();
      lease.assertHeld();
      await unfinished.begin(existing.key, true, changedAt);
      await audited(context, 'delete', existing._id, [existing.key], () => model.deleteOne({ _id: existing._id }));
      await definitions.invalidate();
      await migrate(lease, existing.key, true, changedAt);
      return published('deleted', toAttributeResponse(existing));
    }),
  };
}

export type SchemaService = ReturnType<typeof createSchemaService>;
