import { isDeepStrictEqual } from 'node:util';
import { AppError, validationError } from '../http/app-error';
import type { AttributeDefinition } from './attribute.model';
import type { CreateAttributeInput, UpdateAttributeInput } from './attribute.schemas';

/** What a change to an attribute definition means, decided before anything is read or written. */
export interface DefinitionChange {
  next: AttributeDefinition;
  /** The fields the change sets to another value (for the audit trail: names, never contact values). */
  changed: (keyof AttributeDefinition)[];
  /** Stored contacts must satisfy the new rule first: a new type, fewer options, newly required or unique. */
  checkContacts: boolean;
  /** Stored values must be converted to the new type. */
  rewriteValues: boolean;
  /** The unique claims of the attribute must follow: a new type folds values otherwise, or uniqueness changed. */
  rebuildClaims: boolean;
}

type AttributePatch = Omit<UpdateAttributeInput, '_id' | 'createdAt' | 'updatedAt' | 'system'>;

/** The plan of a PUT /schema/{id}; throws 400/409 for a change no stored data could make valid. */
export function planDefinitionChange(existing: AttributeDefinition, patch: AttributePatch): DefinitionChange {
  if (patch.key !== undefined && patch.key !== existing.key) {
    throw new AppError('key-immutable', 'The key of an attribute cannot change.', {
      status: 400,
      errors: [{ path: 'key', message: 'is immutable' }],
    });
  }
  if (existing.system && patch.type !== undefined && patch.type !== existing.type) {
    throw new AppError('system-attribute', `The type of the system attribute ${existing.key} cannot change.`, {
      status: 409,
    });
  }
  const type = patch.type ?? existing.type;
  // Options sent are judged as sent (refused on a non-enum); stored ones are kept only while it stays an enum.
  const keptOptions = type === 'enum' ? existing.options : undefined;
  const options = patch.options === undefined ? keptOptions : (patch.options ?? undefined);
  const next: AttributeDefinition = { ...existing, ...patch, key: existing.key, type, options };
  checkOptions(next);
  const typeChanged = next.type !== existing.type;
  const optionRemoved = (existing.options ?? []).some((option) => !next.options?.includes(option));
  return {
    next,
    changed: (Object.keys(patch) as (keyof AttributeDefinition)[]).filter(
      (field) => !isDeepStrictEqual(existing[field], next[field]),
    ),
    checkContacts:
      typeChanged || optionRemoved || (next.required && !existing.required) || (next.unique && !existing.unique),
    rewriteValues: typeChanged,
    rebuildClaims: typeChanged || next.unique !== existing.unique,
  };
}

/** Options belong to enums, and an enum has some. */
export function checkOptions(definition: Pick<CreateAttributeInput, 'type' | 'options'>): void {
  if (definition.type === 'enum' && !definition.options?.length) {
    throw validationError(
      [{ path: 'options', message: 'required for type enum: 1–200 distinct strings' }],
      'An enum attribute needs options.',
    );
  }
  if (definition.type !== 'enum' && definition.options) {
    throw validationError(
      [{ path: 'options', message: 'only allowed for type enum' }],
      'Only enum attributes have options.',
    );
  }
}
