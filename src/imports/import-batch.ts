import type { Types } from 'mongoose';
import type { FieldError } from '../http/app-error';
import type { Lease } from '../db/lock-lease';
import type { KeyedLock } from '../db/keyed-lock';
import type { Definitions } from '../attributes/definitions';
import type { ContactRepository } from '../contacts/contact.repository';
import type { UniqueClaims } from '../contacts/unique-claims';
import { checkCompleteContact } from '../contacts/contact-validation';
import { createRows, type CreatePlan } from './create-rows';
import { contactIdFor } from './import-ids';
import type { ImportOptions } from './import-job';
import { errorsOf, type RowPlan } from './row-plan';
import { upsertRows } from './upsert-rows';
import { mapConcurrently } from '../db/map-concurrently';

export type ValidPlan = Extract<RowPlan, { patch: object }>;

export interface Reject {
  row: number;
  errors: FieldError[];
  input: Record<string, unknown>;
}

/** Rows must not bring back a merged contact, nor change one a crash left in the middle of its merge. */
export interface MergedContacts {
  survivorOf(id: string): Promise<string | undefined>;
  contactsOfPendingMerges(): Promise<Set<string>>;
}

export interface BatchContext {
  jobId: Types.ObjectId;
  options: ImportOptions;
  definitions: Definitions;
  repository: ContactRepository;
  claims: UniqueClaims;
  merges: MergedContacts;
  lock: KeyedLock;
  lease: Lease;
  /** In a dry run, nothing is claimed: the unique values of the rows accepted so far, with their row. */
  seenTokens: Map<string, number>;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  rejects: Reject[];
}

/** Rows to create must hold every required attribute: an upsert row that matched nothing may lack some. */
function complete(plans: ValidPlan[], ctx: BatchContext, out: BatchOutcome): ValidPlan[] {
  return plans.filter((plan) => {
    try {
      checkCompleteContact(plan.patch.set, ctx.definitions);
      return true;
    } catch (error) {
      out.rejects.push({ row: plan.row, input: plan.input, errors: errorsOf(error) });
      return false;
    }
  });
}

/** Rows to create under the `_id` of a contact merged into another are rejected: that contact lives on there. */
async function withoutMergedIds(plans: ValidPlan[], ctx: BatchContext, out: BatchOutcome): Promise<ValidPlan[]> {
  const survivors = await mapConcurrently(plans, (plan) =>
    plan.givenId ? ctx.merges.survivorOf(String(plan.givenId)) : Promise.resolve(undefined),
  );
  return plans.filter((plan, index) => {
    const survivorId = survivors[index];
    if (!survivorId) return true;
    const message = `was merged into ${survivorId}: import the row with that _id, or without one`;
    out.rejects.push({ row: plan.row, input: plan.input, errors: [{ path: '_id', message }] });
    return false;
  });
}

/** Writes one batch of checked rows (or, in a dry run, finds what it would do) and counts what happened. */
export async function importBatch(plans: RowPlan[], ctx: BatchContext): Promise<BatchOutcome> {
  const out: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejects: [] };
  const valid: ValidPlan[] = [];
  for (const plan of plans) {
    if (plan.errors) out.rejects.push({ row: plan.row, input: plan.input, errors: plan.errors });
    else valid.push(plan);
  }
  const toCreate = await withoutMergedIds(
    ctx.options.mode === 'upsert' ? complete(await upsertRows(valid, ctx, out), ctx, out) : valid,
    ctx,
    out,
  );
  const withIds: CreatePlan[] = toCreate.map((plan) => ({
    ...plan,
    id: plan.givenId ?? contactIdFor(ctx.jobId, plan.row),
  }));
  await createRows(withIds, ctx, out);
  out.rejects.sort((a, b) => a.row - b.row);
  return out;
}
