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

export type ValidPlan = Extract<RowPlan, { patch: object }>;

export interface Reject {
  row: number;
  errors: FieldError[];
  input: Record<string, unknown>;
}

export interface BatchContext {
  jobId: Types.ObjectId;
  options: ImportOptions;
  definitions: Definitions;
  repository: ContactRepository;
  claims: UniqueClaims;
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

/** Writes one batch of checked rows (or, in a dry run, finds what it would do) and counts what happened. */
export async function importBatch(plans: RowPlan[], ctx: BatchContext): Promise<BatchOutcome> {
  const out: BatchOutcome = { created: 0, updated: 0, unchanged: 0, rejects: [] };
  const valid: ValidPlan[] = [];
  for (const plan of plans) {
    if (plan.errors) out.rejects.push({ row: plan.row, input: plan.input, errors: plan.errors });
    else valid.push(plan);
  }
  const toCreate = ctx.options.mode === 'upsert' ? complete(await upsertRows(valid, ctx, out), ctx, out) : valid;
  const withIds: CreatePlan[] = toCreate.map((plan) => ({
    ...plan,
    id: plan.givenId ?? contactIdFor(ctx.jobId, plan.row),
  }));
  await createRows(withIds, ctx, out);
  out.rejects.sort((a, b) => a.row - b.row);
  return out;
}
