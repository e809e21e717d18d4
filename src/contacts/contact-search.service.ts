import { trusted } from 'mongoose';
import { allOf } from '../db/all-of';
import type { MappingsCache } from '../mapping';
import type { Definitions, DefinitionsCache } from '../schema/definitions';
import type { ContactDocument, ContactModel } from './contact.model';
import { toContactResponse, type ContactResponse } from './contact-response';
import { parseNameQuery, type NameQuery } from './name-query';
import { toE164 } from './phone-number';
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

const byName = { _sortName: 1, _id: 1 } as const;
const unusedInResults = '-_kv -_phones -_fullNames';
/** Bounds the contacts read to find name matches whose words fall on distinct name words. */
const maxNameCandidates = 1_000;

function afterInNameOrder(last: ContactDocument): Record<string, unknown> {
  return {
    $or: [
      { _sortName: trusted({ $gt: last._sortName }) },
      { _sortName: last._sortName, _id: trusted({ $gt: last._id }) },
    ],
  };
}

export function createContactSearchService(deps: {
  contacts: ContactModel;
  definitions: DefinitionsCache;
  mappings: MappingsCache;
  phoneRegion: string;
}) {
  const { contacts } = deps;

  function find(filter: Record<string, unknown>, limit: number): Promise<ContactDocument[]> {
    return contacts.find(filter).sort(byName).limit(limit).select(unusedInResults).lean<ContactDocument[]>();
  }

  /** Name matches in name order; pages on (keyset) only while overlapping words let candidates fail. */
  async function findNameMatches(filter: Record<string, unknown>, limit: number, name: NameQuery) {
    if (!name.wordsOverlap) return find(filter, limit);
    const pageSize = Math.min(Math.max(limit * 2, 50), 250);
    const matches: ContactDocument[] = [];
    let last: ContactDocument | undefined;
    for (let read = 0; matches.length < limit && read < maxNameCandidates; read += pageSize) {
      const page = await find(last ? { $and: [filter, afterInNameOrder(last)] } : filter, pageSize);
      matches.push(...page.filter((document) => name.matchesDistinctWords(document._nameTokens)));
      if (page.length < pageSize) break;
      last = page[page.length - 1];
    }
    return matches;
  }

  /** Exact full-name matches first, then by name; every query index-served. */
  async function findRanked(filter: Record<string, unknown>, limit: number, name?: NameQuery) {
    if (!name) return (await find(filter, limit)).map(toContactResponse);
    const [exact, matches] = await Promise.all([
      find(allOf([name.exactFilter, filter]), limit),
      findNameMatches(filter, limit, name),
    ]);
    const seen = new Set(exact.map((document) => String(document._id)));
    const rest = matches.filter((document) => !seen.has(String(document._id)));
    return [...exact, ...rest].slice(0, limit).map(toContactResponse);
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
    async findContactsByName(text: string, limit: number): Promise<ContactResponse[]> {
      const name = parseNameQuery(text);
      return findRanked(name.filter, limit, name);
    },

    async findContactsBySearchTerms(terms: SearchTerms, limit: number): Promise<ContactResponse[]> {
      const plan = planSearch(terms, await deps.definitions.get(), deps.phoneRegion);
      return findRanked(plan.filter, limit, plan.name);
    },

    /** Screen pop: exact matches only, answered from the caches and one indexed query. */
    async lookupCaller(call: CallerLookup, limit: number) {
      const [definitions, mappings] = await Promise.all([deps.definitions.get(), deps.mappings.get()]);
      const { matchedOn, filter } = lookupConditions(call, definitions, mappings);
      const found = filter ? await find(filter, limit) : [];
      return { contacts: found.map(toContactResponse), matchedOn };
    },
  };
}

export type ContactSearchService = ReturnType<typeof createContactSearchService>;
