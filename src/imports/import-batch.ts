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
import { updateRow } from './update-row';

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

/** The contact a row of an upsert matches, by `_id` or by its matchOn value's claim. */
async function matchesOf(plans: ValidPlan[], ctx: BatchContext): Promise<Map<number, string>> {
  const holders = await ctx.claims.holdersOf(plans.flatMap((plan) => (plan.matchToken ? [plan.matchToken] : [])));
  const matches = new Map<number, string>();
  for (const plan of plans) {
    const id = plan.givenId && ctx.options.matchOn === '_id' ? String(plan.givenId) : holders.get(plan.matchToken!);
    if (id) matches.set(plan.row, id);
  }
  return matches;
}

/** Updates the rows that match a contact (one by one, each under its contact's lock); the others are to create. */
async function upsertRows(plans: ValidPlan[], ctx: BatchContext, out: BatchOutcome): Promise<ValidPlan[]> {
  const matches = await matchesOf(plans, ctx);
  const toCreate: ValidPlan[] = [];
  for (const plan of plans) {
    const id = matches.get(plan.row);
    const outcome = id ? await updateRow(id, plan, ctx).catch((error: unknown) => errorsOf(error)) : 'missing';
    if (outcome === 'missing') toCreate.push(plan);
    else if (Array.isArray(outcome)) out.rejects.push({ row: plan.row, input: plan.input, errors: outcome });
    else out[outcome]++;
  }
  return toCreate.filter((plan) => {
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
  const toCreate = ctx.options.mode === 'upsert' ? await upsertRows(valid, ctx, out) : valid;
  const withIds: CreatePlan[] = toCreate.map((plan) => ({
    ...plan,
    id: plan.givenId ?? contactIdFor(ctx.jobId, plan.row),
  }));
  await createRows(withIds, ctx, out);
  out.rejects.sort((a, b) => a.row - b.row);
  return out;
}
