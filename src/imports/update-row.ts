import { attributesOf } from '../contacts/contact-response';
import { planUpdate, storedForm } from '../contacts/contact.service';
import { contactLockKey } from '../contacts/contact.model';
import type { BatchContext, ValidPlan } from './import-batch';

/** Applies a row to the contact it matches, as PUT /contacts/{id} would; `missing` when there is no such contact. */
export function updateRow(
  id: string,
  plan: ValidPlan,
  ctx: BatchContext,
): Promise<'updated' | 'unchanged' | 'missing'> {
  return ctx.lock.run(contactLockKey(id), async (lease) => {
    const existing = await ctx.repository.findById(id);
    if (!existing) return 'missing';
    const { merged, added, removed, changed } = planUpdate(attributesOf(existing), plan.patch, ctx.definitions);
    if (!changed.length) return 'unchanged';
    if (ctx.options.dryRun) return 'updated';
    await ctx.claims.claim(id, added);
    try {
      lease.assertHeld();
      ctx.lease.assertHeld();
      const stored = storedForm(existing._id, merged, ctx.definitions, existing._mergedFrom);
      await ctx.repository.replace({
        _id: existing._id,
        ...stored,
        createdAt: existing.createdAt,
        updatedAt: new Date(),
      });
    } catch (error) {
      await ctx.claims.release(id, added);
      throw error;
    }
    await ctx.claims.release(id, removed);
    return 'updated';
  });
}
