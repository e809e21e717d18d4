import { isDeepStrictEqual } from 'node:util';
import type { Types } from 'mongoose';
import type { FieldError } from '../http/app-error';
import { attributesOf } from '../contacts/contact-response';
import { storedForm } from '../contacts/contact.service';
import type { ContactDocument } from '../contacts/contact.model';
import type { UniqueEntry } from '../contacts/unique-claims';
import type { BatchContext, BatchOutcome, ValidPlan } from './import-batch';
import { rowOfContact } from './import-ids';

export type CreatePlan = ValidPlan & { id: Types.ObjectId };

function repeats(entry: UniqueEntry, row: number): FieldError {
  return { path: entry.key, message: `repeats the ${entry.key} of row ${row}` };
}

/** Why a row's unique value is taken: by a row of this job (named), or by another contact. */
function takenError(ctx: BatchContext, entry: UniqueEntry, holder: string): FieldError {
  const row = rowOfContact(ctx.jobId, holder) ?? ctx.seenTokens.get(entry.token);
  return row !== undefined ? repeats(entry, row) : { path: entry.key, message: 'is already used by another contact' };
}

/** Rows whose unique values another row of the batch (or of the job, in a dry run) had first are rejected. */
function withoutRepeats(plans: CreatePlan[], ctx: BatchContext, out: BatchOutcome): CreatePlan[] {
  const firstRow = new Map<string, number>();
  return plans.filter((plan) => {
    const repeated = plan.unique.find((entry) => firstRow.has(entry.token) || ctx.seenTokens.has(entry.token));
    if (repeated) {
      const row = firstRow.get(repeated.token) ?? ctx.seenTokens.get(repeated.token)!;
      out.rejects.push({ row: plan.row, input: plan.input, errors: [repeats(repeated, row)] });
      return false;
    }
    for (const entry of plan.unique) firstRow.set(entry.token, plan.row);
    return true;
  });
}

/** Rows whose unique values are held by other contacts are rejected; the others' values are claimed (unless dry). */
async function claimed(plans: CreatePlan[], ctx: BatchContext, out: BatchOutcome): Promise<CreatePlan[]> {
  const refused = ctx.options.dryRun
    ? new Set<string>()
    : new Set((await ctx.claims.claimMany(plans.map((p) => ({ contactId: String(p.id), entries: p.unique })))).keys());
  const checked = ctx.options.dryRun ? plans : plans.filter((plan) => refused.has(String(plan.id)));
  const holders = await ctx.claims.holdersOf(checked.flatMap((plan) => plan.unique.map((entry) => entry.token)));
  return plans.filter((plan) => {
    const taken = plan.unique.filter((entry) => {
      const holder = holders.get(entry.token);
      return holder !== undefined && holder !== String(plan.id) && (ctx.options.dryRun || refused.has(String(plan.id)));
    });
    if (!taken.length) return true;
    out.rejects.push({
      row: plan.row,
      input: plan.input,
      errors: taken.map((entry) => takenError(ctx, entry, holders.get(entry.token)!)),
    });
    return false;
  });
}

/** Inserts the contacts; one already stored with the same attributes was written by this job before a crash. */
async function inserted(plans: CreatePlan[], ctx: BatchContext, out: BatchOutcome): Promise<void> {
  const now = new Date();
  const documents: ContactDocument[] = plans.map((plan) => ({
    _id: plan.id,
    ...storedForm(plan.id, plan.patch.set, ctx.definitions),
    createdAt: now,
    updatedAt: now,
  }));
  const existing = await ctx.repository.insertMany(documents);
  out.created += plans.length - existing.size;
  if (!existing.size) return;
  const stored = await ctx.repository.findEachById([...existing]);
  for (const plan of plans.filter((p) => existing.has(String(p.id)))) {
    const same = stored.get(String(plan.id));
    if (same && isDeepStrictEqual(attributesOf(same), plan.patch.set)) out.created++;
    else out.rejects.push({ row: plan.row, input: plan.input, errors: [{ path: '_id', message: 'is taken' }] });
  }
}

/** Creates a contact for each row, as POST /saveContact would, in a few writes for the whole batch. */
export async function createRows(plans: CreatePlan[], ctx: BatchContext, out: BatchOutcome): Promise<void> {
  const fresh = await claimed(withoutRepeats(plans, ctx, out), ctx, out);
  if (ctx.options.dryRun) {
    for (const plan of fresh) for (const entry of plan.unique) ctx.seenTokens.set(entry.token, plan.row);
    out.created += fresh.length;
    return;
  }
  ctx.lease.assertHeld();
  await inserted(fresh, ctx, out);
}
