import { attributesOf } from '../contacts/contact-response';
import { planUpdate, storedForm } from '../contacts/contact.service';
import { contactLockKey, type ContactDocument } from '../contacts/contact.model';
import type { Lease } from '../db/lock-lease';
import type { BatchContext, BatchOutcome, ValidPlan } from './import-batch';
import { errorsOf } from './row-plan';
import { updateRow } from './update-row';

type PlannedUpdate = ReturnType<typeof planUpdate> & { plan: ValidPlan; stored: ContactDocument };

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

/** Rows matching a contact whose merge a crash interrupted are rejected until recovery completes it (seconds). */
async function withoutPendingMerges(
  plans: ValidPlan[],
  matches: Map<number, string>,
  ctx: BatchContext,
  out: BatchOutcome,
): Promise<ValidPlan[]> {
  const pending = await ctx.merges.contactsOfPendingMerges();
  return plans.filter((plan) => {
    const id = matches.get(plan.row);
    if (!id || !pending.has(id)) return true;
    const message = 'matches a contact whose merge is being completed; import the row again in a few seconds';
    out.rejects.push({ row: plan.row, input: plan.input, errors: [{ path: '_id', message }] });
    return false;
  });
}

/** Contacts that one row of the batch matches: the others (matched twice) are updated row by row, in order. */
function matchedOnce(matches: Map<number, string>): string[] {
  const rowsOf = new Map<string, number>();
  for (const id of matches.values()) rowsOf.set(id, (rowsOf.get(id) ?? 0) + 1);
  return [...rowsOf].filter(([, rows]) => rows === 1).map(([id]) => id);
}

/**
 * Applies the rows that match a contact as PUT /contacts/{id} would, and answers the rows that match none (to
 * create). The batch locks the contacts it can in one write and reads them a few at a time; rows are compared in
 * memory (unchanged ones cost nothing more); the changed ones are claimed and replaced in bulk. A row whose
 * contact is locked elsewhere, or matched by another row of the batch, goes one by one under its own lock.
 */
export async function upsertRows(rows: ValidPlan[], ctx: BatchContext, out: BatchOutcome): Promise<ValidPlan[]> {
  const matches = await matchesOf(rows, ctx);
  const plans = await withoutPendingMerges(rows, matches, ctx, out);
  const toCreate: ValidPlan[] = [];
  const oneByOne: ValidPlan[] = [];
  const { held, lease, release } = await ctx.lock.holdMany(matchedOnce(matches).map(contactLockKey));
  try {
    const heldIds = new Set(held.map((key) => key.slice(contactLockKey('').length)));
    const stored = await ctx.repository.findEachById([...heldIds]);
    const updates: PlannedUpdate[] = [];
    for (const plan of plans) {
      const id = matches.get(plan.row);
      if (!id) toCreate.push(plan);
      else if (!heldIds.has(id)) oneByOne.push(plan);
      else if (!stored.has(id)) toCreate.push(plan);
      else {
        const update = plannedUpdate(plan, stored.get(id)!, ctx, out);
        if (update) updates.push(update);
      }
    }
    await writeUpdates(updates, ctx, lease, out);
  } finally {
    await release();
  }
  for (const plan of oneByOne) {
    const outcome = await updateRow(matches.get(plan.row)!, plan, ctx).catch((error: unknown) => errorsOf(error));
    if (outcome === 'missing') toCreate.push(plan);
    else if (Array.isArray(outcome)) out.rejects.push({ row: plan.row, input: plan.input, errors: outcome });
    else out[outcome]++;
  }
  return toCreate;
}

/** The update a row makes to its contact; undefined when it changes nothing, is rejected, or it is a dry run. */
function plannedUpdate(plan: ValidPlan, stored: ContactDocument, ctx: BatchContext, out: BatchOutcome) {
  try {
    const update = planUpdate(attributesOf(stored), plan.patch, ctx.definitions);
    if (!update.changed.length) out.unchanged++;
    else if (ctx.options.dryRun) out.updated++;
    else return { ...update, plan, stored };
  } catch (error) {
    out.rejects.push({ row: plan.row, input: plan.input, errors: errorsOf(error) });
  }
  return undefined;
}

/** Claims the unique values the updates add (a row whose value another contact holds is rejected), then writes. */
async function writeUpdates(updates: PlannedUpdate[], ctx: BatchContext, lease: Lease, out: BatchOutcome) {
  if (!updates.length) return;
  const contactId = (update: PlannedUpdate) => String(update.stored._id);
  const refused = await ctx.claims.claimMany(updates.map((u) => ({ contactId: contactId(u), entries: u.added })));
  const accepted = updates.filter((update) => {
    const error = refused.get(contactId(update));
    if (error) out.rejects.push({ row: update.plan.row, input: update.plan.input, errors: errorsOf(error) });
    return !error;
  });
  const updatedAt = new Date();
  try {
    lease.assertHeld();
    ctx.lease.assertHeld();
    await ctx.repository.replaceEach(
      accepted.map(({ stored, merged }) => ({
        _id: stored._id,
        ...storedForm(stored._id, merged, ctx.definitions, stored._mergedFrom),
        createdAt: stored.createdAt,
        updatedAt,
      })),
    );
  } catch (error) {
    for (const update of accepted) await ctx.claims.release(contactId(update), update.added);
    throw error;
  }
  for (const update of accepted) await ctx.claims.release(contactId(update), update.removed);
  out.updated += accepted.length;
}
