import type { Equality } from '../db/all-of';
import type { ContactDocument } from './contact.model';

/** The indexed fields a search condition is an equality on. */
type SearchField = '_kv' | '_phones' | '_fullNames' | '_names' | '_prefixes' | '_phonePrefixes';

export interface Condition {
  field: SearchField;
  value: string;
  /** Higher means fewer contacts are likely to match: the most selective conditions are handed down. */
  selectivity: number;
}

/** What a search asks the database (equalities on tokens) and what only the candidates can tell. */
export interface SearchPlan {
  conditions: Condition[];
  /** Checks the tokens cannot make (distinct name words, prefixes longer than a token), run on each candidate. */
  checks: ((document: ContactDocument) => boolean)[];
  /** The folded full name of a name query: contacts with exactly this name rank first. */
  fullName?: string;
  /** The checks may turn most candidates down (`ann anna`: Anna Aardvark holds both tokens): read many more. */
  rejectsMany?: boolean;
}

/** At or above this, one condition matches few enough contacts to read them all (a phone number, a unique value). */
export const selective = 500;
const maxCandidates = 250;
const page = 25;

export function combinePlans(plans: SearchPlan[]): SearchPlan {
  return {
    conditions: plans.flatMap((plan) => plan.conditions),
    checks: plans.flatMap((plan) => plan.checks),
    fullName: plans.find((plan) => plan.fullName)?.fullName,
    rejectsMany: plans.some((plan) => plan.rejectsMany),
  };
}

function byFewestMatches(conditions: Condition[]): Condition[] {
  return [...conditions].sort((a, b) => b.selectivity - a.selectivity);
}

/**
 * The equalities, most selective first (the first on each field is the one FerretDB hands down), the second name
 * word on `_names2` (the same tokens) so that it is handed down too; the rest is checked by the engine.
 */
export function equalitiesOf(conditions: Condition[]): Equality[] {
  let nameWords = 0;
  return byFewestMatches(conditions).map(({ field, value }) =>
    field === '_names' && nameWords++ === 1 ? { _names2: value } : { [field]: value },
  );
}

/**
 * A search whose matches may be many (`smi` among 200,000 contacts): one condition handed down and none of them
 * selective. Such a search reads a sample of the matches first.
 */
export function isBroad(conditions: Condition[]): boolean {
  if (conditions.some((condition) => condition.selectivity >= selective)) return false;
  // The first equality on each field is handed down (allOf).
  const handedDown = new Set(equalitiesOf(conditions).map((equality) => Object.keys(equality)[0]));
  return handedDown.size <= 1;
}

/**
 * How many matches a search ranks: a page (25) even for a smaller `limit`, so that when no more than that match,
 * the answer is exactly the first ones in name order; more for a larger `limit`.
 */
export function matchesWanted(limit: number): number {
  return Math.max(limit, page);
}

/** How many candidates to read for `wanted` matches: the checks may turn some down. */
export function candidatesFor(plan: SearchPlan, wanted: number): number {
  if (plan.rejectsMany) return Math.max(wanted * 2, maxCandidates);
  return plan.checks.length ? wanted * 2 : wanted;
}

export function passesChecks(plan: SearchPlan, document: ContactDocument): boolean {
  return plan.checks.every((check) => check(document));
}
