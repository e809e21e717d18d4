import { nameKeys, type Definitions, type DefinitionsCache } from '../attributes/definitions';
import { mapConcurrently } from '../db/map-concurrently';
import type { ContactDocument } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { toContactResponse, type ContactResponse } from './contact-response';
import { contactNotFound } from './contact-errors';
import { byLikelihood, pairingOf, probeHolds, type Pairing } from './duplicate-pairing';
import { duplicateProbesOf, type DuplicateProbe } from './duplicate-probes';
import type { DuplicateReason } from './duplicate-score';
import { groupedKeysOf, type DuplicateGroup, type GroupCursor } from './duplicate-groups';

/** Each lookup reads at most this many contacts: a number shared by a whole switchboard must not read them all. */
export const maxCandidatesPerProbe = 200;

export interface Duplicate {
  contact: ContactResponse;
  score: number;
  reasons: DuplicateReason[];
}

interface Candidate {
  document: ContactDocument;
  foundBy: DuplicateProbe[];
}

export interface DuplicatesServiceDependencies {
  repository: ContactRepository;
  definitions: DefinitionsCache;
}

/** The contacts each probe found, but the contact itself, with the probes that found each. */
function gatherCandidates(probes: DuplicateProbe[], found: ContactDocument[][], selfId: string): Candidate[] {
  const candidates = new Map<string, Candidate>();
  probes.forEach((probe, index) => {
    for (const document of found[index]) {
      const id = String(document._id);
      if (id === selfId || !probeHolds(probe, document)) continue;
      const candidate = candidates.get(id) ?? { document, foundBy: [] };
      candidates.set(id, candidate);
      candidate.foundBy.push(probe);
    }
  });
  return [...candidates.values()];
}

/** The probes for a shared value (phone, email, unique value, full name), and those for a similar name. */
function splitProbes(probes: DuplicateProbe[]): [DuplicateProbe[], DuplicateProbe[]] {
  return [probes.filter((probe) => probe.reason), probes.filter((probe) => !probe.reason)];
}

/** Scored candidates, best first; those that share nothing left out. */
function rankCandidates(document: ContactDocument, candidates: Candidate[]): Pairing[] {
  const pairings = candidates.flatMap(
    ({ document: candidate, foundBy }) => pairingOf(document, candidate, foundBy) ?? [],
  );
  return pairings.sort(byLikelihood);
}

/** What scoring reads of a candidate: its names, and the values of the attributes a probe checks in full. */
function scoredFields(definitions: Definitions): string[] {
  const checked = definitions.list.filter((definition) => definition.unique || definition.type === 'email');
  return ['_id', ...nameKeys, ...checked.map((definition) => definition.key)];
}

export function createDuplicatesService(deps: DuplicatesServiceDependencies) {
  /** Candidates of the shared-value probes; of the similar-name probes too only when those do not fill the page. */
  async function candidatesOf(document: ContactDocument, definitions: Definitions, limit: number) {
    const keep = scoredFields(definitions);
    const selfId = String(document._id);
    const read = (probes: DuplicateProbe[]) =>
      mapConcurrently(probes, (probe) =>
        deps.repository.findFieldsWhereAll(probe.equalities, maxCandidatesPerProbe, keep),
      );
    const [exact, similar] = splitProbes(duplicateProbesOf(document, definitions));
    const exactFound = await read(exact);
    const candidates = gatherCandidates(exact, exactFound, selfId);
    // One only a similar name finds scores below any that shares a value: it can never displace those.
    if (candidates.length >= limit || !similar.length) return candidates;
    return gatherCandidates([...exact, ...similar], [...exactFound, ...(await read(similar))], selfId);
  }

  return {
    /** Candidates from indexed lookups only (shared phone, email, unique value, name), then scored. */
    async findDuplicates(id: string, limit: number): Promise<Duplicate[]> {
      const document = await deps.repository.findById(id);
      if (!document) throw contactNotFound(id);
      const candidates = await candidatesOf(document, await deps.definitions.get(), limit);
      const best = rankCandidates(document, candidates).slice(0, limit);
      // Whole contacts for the answer only: one read of a few.
      const contacts = await deps.repository.findEachById(best.map((pairing) => pairing.id));
      return best.flatMap(({ id: candidateId, score, reasons }) => {
        const contact = contacts.get(candidateId);
        return contact ? [{ contact: toContactResponse(contact), score, reasons }] : [];
      });
    },

    /** Every group of contacts sharing a phone, email, unique value or full name, a page at a time. */
    async findDuplicateGroups(after: GroupCursor | undefined, limit: number): Promise<DuplicateGroup[]> {
      return deps.repository.duplicateGroups(groupedKeysOf(await deps.definitions.get()), { after, limit });
    },
  };
}

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;
