import type { Types } from 'mongoose';
import { z } from 'zod';
import { AppError, validationError } from './app-error';
import { fromZodError } from './error-converter';

/**
 * Members GET returns and the server owns. A PUT may carry them back, as an edit form or Swagger UI sends the
 * object it read: they are checked against the stored record and never written.
 */
export const readOnlyMembers = {
  _id: z.string().optional().meta({ readOnly: true, description: 'As GET returned it; must be the id of the path' }),
  createdAt: z.iso.datetime().optional().meta({ readOnly: true, description: 'As GET returned it' }),
  updatedAt: z.iso
    .datetime()
    .optional()
    .meta({ readOnly: true, description: 'As GET returned it; another one is 409: the record changed since' }),
  system: z.boolean().optional().meta({ readOnly: true, description: 'As GET returned it' }),
};
const readOnlySchema = z.object(readOnlyMembers);
export type ReadOnlyMembers = z.output<typeof readOnlySchema>;
export type ReadOnlyName = keyof ReadOnlyMembers;

export interface StoredMembers {
  _id: string | Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
  system?: boolean;
}

/** Splits a free-form body (a contact's) into the read-only members named, type-checked, and the rest. */
export function splitReadOnlyMembers(
  body: Record<string, unknown>,
  names: readonly ReadOnlyName[],
): [ReadOnlyMembers, Record<string, unknown>] {
  const isReadOnly = (name: string) => (names as readonly string[]).includes(name);
  const sent = Object.fromEntries(Object.entries(body).filter(([name]) => isReadOnly(name)));
  const rest = Object.fromEntries(Object.entries(body).filter(([name]) => !isReadOnly(name)));
  const parsed = readOnlySchema.safeParse(sent);
  if (!parsed.success) throw fromZodError(parsed.error);
  return [parsed.data, rest];
}

/**
 * Read-only members sent must be the stored ones. An `_id` other than the path's, or another `createdAt` or
 * `system`, is 400. An `updatedAt` other than the stored one means the record changed since this copy was read:
 * 409, so that saving a stale edit form does not silently undo someone else's change.
 */
export function checkReadOnlyMembers(sent: ReadOnlyMembers, stored: StoredMembers, noun: string): void {
  const differing = (Object.keys(readOnlyMembers) as ReadOnlyName[]).filter(
    (name) => sent[name] !== undefined && !sameValue(sent[name], stored[name]),
  );
  if (differing.includes('_id')) {
    throw validationError([{ path: '_id', message: `must be the ${noun} id of the path` }]);
  }
  const immutable = differing.filter((name) => name !== 'updatedAt');
  if (immutable.length) {
    throw validationError(
      immutable.map((name) => ({ path: name, message: 'is read-only: send it as GET returned it, or leave it out' })),
    );
  }
  if (differing.includes('updatedAt')) {
    throw new AppError(
      'changed-since-read',
      `The ${noun} changed since this copy was read (updatedAt ${stored.updatedAt?.toISOString()}): ` +
        'GET it again and apply the change to that, or leave updatedAt out to change it regardless.',
      { status: 409, details: { updatedAt: stored.updatedAt?.toISOString() } },
    );
  }
}

function sameValue(sent: unknown, stored: StoredMembers[ReadOnlyName]): boolean {
  if (typeof sent === 'boolean') return sent === (stored ?? false);
  if (stored instanceof Date) return typeof sent === 'string' && Date.parse(sent) === stored.getTime();
  if (typeof sent === 'string' && stored !== undefined && stored !== null) return sent === String(stored);
  return sent === stored;
}
