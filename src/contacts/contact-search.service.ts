import { trusted } from 'mongoose';
import { allOf } from '../db/all-of';
import type { MappingsCache } from '../mapping';
import type { Definitions, DefinitionsCache } from '../schema/definitions';
import type { ContactDocument, ContactModel } from './contact.model';
import { toContactResponse, type ContactResponse } from './contact-response';
import { parseNameQuery, type NameQuery } from './name-query';
import { toE164 } from './phone-number';
import { withoutSearchFields } from './search-fields';
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
/** Name search reads the name fields too: it checks words against `_nameTokens` and pages on `_sortName`. */
const withNameFields = { _kv: 0, _phones: 0, _fullNames: 0 } as const;
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

  /**
   * Every search and screen pop ends here, so it goes straight to the driver: filters are built from checked
   * scalars by planSearch, parseNameQuery and lookupConditions, never from raw input.
   */
  function find(
    filter: Record<string, unknown>,
    limit: number,
    projection: Record<string, 0> = withoutSearchFields,
  ): Promise<ContactDocument[]> {
    return contacts.collection.find<ContactDocument>(filter, { sort: byName, limit, projection }).toArray();
  }

  /** Name matches in name order; pages on (keyset) only while overlapping words let candidates fail. */
  async function findNameMatches(filter: Record<string, unknown>, limit: number, name: NameQuery) {
    if (!name.wordsOverlap) return find(filter, limit, withNameFields);
    const pageSize = Math.min(Math.max(limit * 2, 50), 250);
    const matches: ContactDocument[] = [];
    let last: ContactDocument | undefined;
    for (let read = 0; matches.length < limit && read < maxNameCandidates; read += pageSize) {
      const page = await find(last ? { $and: [filter, afterInNameOrder(last)] } : filter, pageSize, withNameFields);
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
