import type { MappingsCache } from '../mapping';
import type { Definitions, DefinitionsCache } from '../schema/definitions';
import type { ContactDocument, ContactModel } from './contact.model';
import { toContactResponse, type ContactResponse } from './contact-response';
import { allOf } from '../db/all-of';
import { nameQueryPlan } from './name-query';
import { toE164 } from './phone-number';
import { broadSearchSamples, withoutSearchFields } from './search-fields';
import {
  candidatesFor,
  filterOf,
  isBroad,
  matchesWanted,
  passesChecks,
  selective,
  type SearchPlan,
} from './search-plan';
import { exactToken, planSearch, type Scalar, type SearchTerms } from './search-terms';

export interface CallerLookup {
  ani?: string;
  callVariables: Record<string, Scalar>;
}

export interface MatchedCondition {
  key: string;
  value: string;
  source: 'callVariable' | 'ani';
}

/** Search reads the name fields too: checks run on `_nameTokens`, results are ordered by `_sortName`. */
const withNameFields = Object.fromEntries(
  Object.entries(withoutSearchFields).filter(([field]) => field !== '_nameTokens' && field !== '_sortName'),
);

function inNameOrder(a: ContactDocument, b: ContactDocument): number {
  const [x, y] = [a._sortName ?? '', b._sortName ?? ''];
  return x < y ? -1 : x > y ? 1 : String(a._id).localeCompare(String(b._id));
}

export function createContactSearchService(deps: {
  contacts: ContactModel;
  definitions: DefinitionsCache;
  mappings: MappingsCache;
  phoneRegion: string;
}) {
  const { contacts } = deps;

  /**
   * Every search and screen pop ends here, straight to the driver: filters are built from checked scalars by
   * planSearch, nameQueryPlan and lookupConditions, never from raw input. No sort: FerretDB would read and sort
   * every match; the caller orders the few it asked for.
   */
  function find(filter: Record<string, unknown>, limit: number, projection: Record<string, 0> = withoutSearchFields) {
    return contacts.collection.find<ContactDocument>(filter, { limit, projection }).toArray();
  }

  /**
   * Up to `limit` contacts the plan matches. A broad search reads fixed samples of its matches first (1 in 64,
   * then another 1 in 8, disjoint from it), then all of them, each time only as many as it still lacks: its cost
   * stays that of a page, not that of every `smi` among the contacts.
   */
  async function findMatches(plan: SearchPlan, limit: number): Promise<ContactDocument[]> {
    const filter = filterOf(plan.conditions);
    const wanted = matchesWanted(limit);
    const matches = new Map<string, ContactDocument>();
    for (const sample of isBroad(plan.conditions) ? [...broadSearchSamples, undefined] : [undefined]) {
      // The samples are disjoint; all the matches include those found already.
      const read = candidatesFor(plan, wanted - matches.size) + (sample ? 0 : matches.size);
      const found = await find(sample ? { ...filter, _sample: sample } : filter, read, withNameFields);
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

  /** The screen-pop criteria of this call: mapping conditions whose variable has a value, else the ANI. */
  function lookupConditions(
    call: CallerLookup,
    definitions: Definitions,
    mappings: Awaited<ReturnType<MappingsCache['get']>>,
  ) {
    const matchedOn: MatchedCondition[] = [];
    const tokens: string[] = [];
    let impossible = false;
    for (const mapping of mappings) {
      // Own properties only: a mapping on `constructor` must not read Object.prototype.
      const value = Object.hasOwn(call.callVariables, mapping.callVariable)
        ? call.callVariables[mapping.callVariable]
        : undefined;
      const definition = definitions.byKey.get(mapping.key);
      if (value === undefined || String(value).trim() === '' || !definition) continue;
      matchedOn.push({ key: mapping.key, value: String(value), source: 'callVariable' });
      try {
        tokens.push(exactToken(definition, value, deps.phoneRegion));
      } catch {
        impossible = true;
      }
    }
    if (matchedOn.length) {
      return { matchedOn, filter: impossible ? undefined : allOf(tokens.map((token) => ({ _kv: token }))) };
    }
    const phone = call.ani === undefined ? null : toE164(call.ani, deps.phoneRegion);
    if (!phone) return { matchedOn, filter: undefined };
    return { matchedOn: [{ key: 'phone', value: phone, source: 'ani' as const }], filter: { _phones: phone } };
  }

  return {
    findContactsByName(text: string, limit: number): Promise<ContactResponse[]> {
      return findRanked(nameQueryPlan(text), limit);
    },

    async findContactsBySearchTerms(terms: SearchTerms, limit: number): Promise<ContactResponse[]> {
      return findRanked(planSearch(terms, await deps.definitions.get(), deps.phoneRegion), limit);
    },

    /** Screen pop: exact matches only, answered from the caches and one indexed query. */
    async lookupCaller(call: CallerLookup, limit: number) {
      const [definitions, mappings] = await Promise.all([deps.definitions.get(), deps.mappings.get()]);
      const { matchedOn, filter } = lookupConditions(call, definitions, mappings);
      const found = filter ? await find(filter, limit, withNameFields) : [];
      return { contacts: found.sort(inNameOrder).map(toContactResponse), matchedOn };
    },
  };
}

export type ContactSearchService = ReturnType<typeof createContactSearchService>;
