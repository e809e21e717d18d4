import type { ContactDocument } from './contact.model';
import { attributesOf } from './contact-response';
import { personNameOf, type DuplicateProbe } from './duplicate-probes';
import { duplicateScore, similarNameReason, type DuplicateReason, type WeightedReason } from './duplicate-score';

/** Why and how likely a contact is a duplicate of another. */
export interface Pairing {
  id: string;
  score: number;
  reasons: DuplicateReason[];
}

/** The check a probe adds to its lookup: a long text's search token is cut, its unique token is not. */
export function probeHolds(probe: DuplicateProbe, candidate: ContactDocument): boolean {
  return !probe.holds || probe.holds(attributesOf(candidate));
}

/** The probe's lookup run in memory on a contact with its search fields: a field equals the value or holds it. */
export function probeFinds(probe: DuplicateProbe, candidate: ContactDocument): boolean {
  const matches = probe.equalities.every((equality) =>
    Object.entries(equality).every(([field, value]) => {
      const stored = candidate[field];
      return Array.isArray(stored) ? stored.includes(value) : stored === value;
    }),
  );
  return matches && probeHolds(probe, candidate);
}

function distinctReasons(probes: DuplicateProbe[]): WeightedReason[] {
  const reasons = new Map<string, WeightedReason>();
  for (const { reason } of probes) if (reason) reasons.set(`${reason.kind} ${reason.key}`, reason);
  return [...reasons.values()];
}

/**
 * The one rule pairing a contact with a candidate that some of its probes found: what those probes share, and a
 * similar name unless the full name is shared. Undefined when nothing is shared.
 */
export function pairingOf(
  document: ContactDocument,
  candidate: ContactDocument,
  foundBy: DuplicateProbe[],
): Pairing | undefined {
  const shared = distinctReasons(foundBy);
  const similar = shared.some((reason) => reason.kind === 'full-name')
    ? undefined
    : similarNameReason(personNameOf(attributesOf(document)), personNameOf(attributesOf(candidate)));
  const all = similar ? [...shared, similar] : shared;
  if (!all.length) return undefined;
  const reasons = all.map(({ kind, key }) => ({ kind, key }));
  return { id: String(candidate._id), score: duplicateScore(all), reasons };
}

/** Best first; the older contact (smaller id) first on a tie. */
export function byLikelihood(a: Pairing, b: Pairing): number {
  return b.score - a.score || a.id.localeCompare(b.id);
}
