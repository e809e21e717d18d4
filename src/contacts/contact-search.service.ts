import type { MappingsCache } from '../mapping';
import type { Definitions, DefinitionsCache } from '../attributes/definitions';
import type { ContactDocument } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { toContactResponse, type ContactResponse } from './contact-response';
import type { Equality } from '../db/all-of';
import { withDuplicateHints } from './duplicate-hints';
import { nameQueryPlan } from './name-query';
import { toE164 } from '../values/phone-number';
import { broadSearchSamples } from './search-fields';
import {
  candidatesFor,
  equalitiesOf,
  isBroad,
  matchesWanted,
  passesChecks,
  selective,
  type SearchPlan,
} from './search-plan';
import { exactTokenIfValid, planSearch, type Scalar, type SearchTerms } from './search-terms';

export interface CallerLookup {
  ani?: string;
  callVariables: Record<string, Scalar>;
}

export interface MatchedCondition {
  key: string;
  value: string;
  source: 'callVariable' | 'ani';
}

function inNameOrder(a: ContactDocument, b: ContactDocument): number {
  const [x, y] = [a._sortName ?? '', b._sortName ?? ''];
  return x < y ? -1 : x > y ? 1 : String(a._id).localeCompare(String(b._id));
}

export function createContactSearchService(deps: {
  repository: ContactRepository;
  definitions: DefinitionsCache;
  mappings: MappingsCache;
  phoneRegion: string;
}) {
  const { repository } = deps;

  /**
   * Up to `limit` contacts the plan matches. A broad search reads fixed samples of its matches first (1 in 64,
   * then another 1 in 8, disjoint from it), then all of them, each time only as many as it still lacks: its cost
   * stays that of a page, not that of every `smi` among the contacts.
   */
  async function findMatches(plan: SearchPlan, limit: number): Promise<ContactDocument[]> {
    const equalities = equalitiesOf(plan.conditions);
    const wanted = matchesWanted(limit);
    const matches = new Map<string, ContactDocument>();
    for (const sample of isBroad(plan.conditions) ? [...broadSearchSamples, undefined] : [undefined]) {
      // The samples are disjoint; all the matches include those found already.
      const read = candidatesFor(plan, wanted - matches.size) + (sample ? 0 : matches.size);
      const found = await repository.findWhereAll(sample ? [...equalities, { _sample: sample }] : equalities, read);
      for (const document of found) {
        if (passesChecks(plan, document)) matches.set(String(document._id), document);
      }
      if (matches.size >= wanted) break;
    }
    return [...matches.values()];
  }

  function findExactName(plan: SearchPlan, fullName: string, limit: number): Promise<ContactDocument[]> {
    const conditions = [...plan.conditions, { field: '_fullNames' as const, value: fullName, selectivity: selective }];
    return findMatches({ ...plan, conditions }, limit);
  }

  /** Exact full-name matches first, then by name (last, first). */
  async function findRanked(plan: SearchPlan, limit: number): Promise<ContactResponse[]> {
    const [exact, matches] = await Promise.all([
      plan.fullName ? findExactName(plan, plan.fullName, limit) : [],
      findMatches(plan, limit),
    ]);
    const seen = new Set(exact.map((document) => String(document._id)));
    const rest = matches.filter((document) => !seen.has(String(document._id))).sort(inNameOrder);
    return [...exact.sort(inNameOrder), ...rest].slice(0, limit).map(toContactResponse);
  }

  /**
   * The screen-pop criteria of this call: mapping conditions whose variable has a value, else the ANI. `equalities`
   * is undefined when no contact can match (a value the attribute could not hold, an ANI that is no phone number).
   */
  function lookupConditions(
    call: CallerLookup,
    definitions: Definitions,
    mappings: Awaited<ReturnType<MappingsCache['get']>>,
  ): { matchedOn: MatchedCondition[]; equalities?: Equality[] } {
    const matchedOn: MatchedCondition[] = [];
    const tokens: (string | undefined)[] = [];
    for (const mapping of mappings) {
      // Own properties only: a mapping on `constructor` must not read Object.prototype.
      const value = Object.hasOwn(call.callVariables, mapping.callVariable)
        ? call.callVariables[mapping.callVariable]
        : undefined;
      const definition = definitions.byKey.get(mapping.key);
      if (value === undefined || String(value).trim() === '' || !definition) continue;
      matchedOn.push({ key: mapping.key, value: String(value), source: 'callVariable' });
      tokens.push(exactTokenIfValid(definition, value, deps.phoneRegion));
    }
    if (matchedOn.length) {
      const valid = tokens.filter((token) => token !== undefined);
      return {
        matchedOn,
        equalities: valid.length < tokens.length ? undefined : valid.map((token) => ({ _kv: token })),
      };
    }
    const phone = call.ani === undefined ? null : toE164(call.ani, deps.phoneRegion);
    if (!phone) return { matchedOn };
    return { matchedOn: [{ key: 'phone', value: phone, source: 'ani' }], equalities: [{ _phones: phone }] };
  }

  return {
    findContactsByName(text: string, limit: number): Promise<ContactResponse[]> {
      return findRanked(nameQueryPlan(text), limit);
    },

    async findContactsBySearchTerms(terms: SearchTerms, limit: number): Promise<ContactResponse[]> {
      return findRanked(planSearch(terms, await deps.definitions.get(), deps.phoneRegion), limit);
    },

    /** Screen pop: exact matches only, answered from the caches and one indexed query; duplicates among them hinted. */
    async lookupCaller(call: CallerLookup, limit: number) {
      const [definitions, mappings] = await Promise.all([deps.definitions.get(), deps.mappings.get()]);
      const { matchedOn, equalities } = lookupConditions(call, definitions, mappings);
      const found = equalities ? await repository.findWhereAll(equalities, limit) : [];
      return { contacts: withDuplicateHints(found.sort(inNameOrder), definitions), matchedOn };
    },
  };
}

export type ContactSearchService = ReturnType<typeof createContactSearchService>;
