import { distance } from 'fastest-levenshtein';
import { foldedSpellings } from '../values/text-folding';

export const duplicateReasonKinds = ['phone', 'email', 'unique', 'full-name', 'similar-name'] as const;
type DuplicateReasonKind = (typeof duplicateReasonKinds)[number];

/** Why a contact may be a duplicate: the kind of evidence and the shared token (number, `key:value`, name). */
export interface DuplicateReason {
  kind: DuplicateReasonKind;
  key: string;
}

/** A reason with how much it alone makes a duplicate likely (0–1). */
export interface WeightedReason extends DuplicateReason {
  weight: number;
}

const exactWeights: Record<Exclude<DuplicateReasonKind, 'similar-name'>, number> = {
  phone: 0.6,
  email: 0.6,
  unique: 0.7,
  'full-name': 0.5,
};
const similarNameWeight = 0.4;
/** `Jon Smyth` ~ `John Smith` is 0.8; unrelated names of this length fall far below. */
export const similarNameThreshold = 0.75;

export function exactReason(kind: keyof typeof exactWeights, key: string): WeightedReason {
  return { kind, key, weight: exactWeights[kind] };
}

export interface PersonName {
  first: string;
  last: string;
}

/** Every folded spelling of "first last": `Müller` gives both `muller` and `mueller`. */
function spellingsOf(name: PersonName, bothOrders: boolean): string[] {
  const orders = [`${name.first} ${name.last}`, ...(bothOrders ? [`${name.last} ${name.first}`] : [])];
  return orders.flatMap((text) => foldedSpellings(text)).filter((text) => text.length > 0);
}

function textSimilarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length);
}

/** 0–1: the best match between the folded spellings of the two names, the second also read as "last first". */
export function nameSimilarity(name: PersonName, other: PersonName): number {
  const others = spellingsOf(other, true);
  let best = 0;
  for (const spelling of spellingsOf(name, false)) {
    for (const candidate of others) best = Math.max(best, textSimilarity(spelling, candidate));
  }
  return best;
}

/** A similar-name reason when the names are close enough, weighted by how close. */
export function similarNameReason(name: PersonName, other: PersonName): WeightedReason | undefined {
  const similarity = nameSimilarity(name, other);
  if (similarity < similarNameThreshold) return undefined;
  const key = spellingsOf(other, false)[0] ?? '';
  return { kind: 'similar-name', key, weight: similarNameWeight * similarity };
}

/** Independent pieces of evidence combined: 1 − Π(1 − weight), capped at 1, to 2 decimals. */
export function duplicateScore(reasons: readonly WeightedReason[]): number {
  const unlikely = reasons.reduce((product, reason) => product * (1 - Math.min(1, reason.weight)), 1);
  return Math.round(Math.min(1, 1 - unlikely) * 100) / 100;
}
