import type { DefinitionsCache } from '../attributes/definitions';
import { mapConcurrently } from '../db/map-concurrently';
import type { ContactDocument } from './contact.model';
import type { ContactRepository } from './contact.repository';
import { attributesOf, toContactResponse, type ContactResponse } from './contact-response';
import { contactNotFound } from './contact.service';
import { duplicateProbesOf, personNameOf, type DuplicateProbe } from './duplicate-probes';
import { duplicateScore, similarNameReason, type DuplicateReason, type WeightedReason } from './duplicate-score';

/** Each lookup reads at most this many contacts: a number shared by a whole switchboard must not read them all. */
export const maxCandidatesPerProbe = 200;

export interface Duplicate {
  contact: ContactResponse;
  score: number;
  reasons: DuplicateReason[];
}

interface Candidate {
  document: ContactDocument;
  reasons: WeightedReason[];
}

export interface DuplicatesServiceDependencies {
  repository: ContactRepository;
  definitions: DefinitionsCache;
}

/** The contacts each probe found, but the contact itself, with the reasons the probes give. */
function gatherCandidates(probes: DuplicateProbe[], found: ContactDocument[][], selfId: string): Candidate[] {
  const candidates = new Map<string, Candidate>();
  probes.forEach((probe, index) => {
    for (const document of found[index]) {
      const id = String(document._id);
      if (id === selfId || (probe.holds && !probe.holds(attributesOf(document)))) continue;
      const candidate = candidates.get(id) ?? { document, reasons: [] };
      candidates.set(id, candidate);
      const { reason } = probe;
      if (reason && !candidate.reasons.some((known) => known.kind === reason.kind && known.key === reason.key)) {
        candidate.reasons.push(reason);
      }
    }
  });
  return [...candidates.values()];
}

/** Scored duplicates, best first (older contact first on a tie); candidates with no reason left out. */
function rankDuplicates(document: ContactDocument, candidates: Candidate[]): Duplicate[] {
  const name = personNameOf(attributesOf(document));
  const scored = candidates.flatMap(({ document: candidate, reasons }) => {
    const similar = reasons.some((reason) => reason.kind === 'full-name')
      ? undefined
      : similarNameReason(name, personNameOf(attributesOf(candidate)));
    const all = similar ? [...reasons, similar] : reasons;
    if (!all.length) return [];
    const publicReasons = all.map(({ kind, key }) => ({ kind, key }));
    return [{ id: String(candidate._id), contact: candidate, score: duplicateScore(all), reasons: publicReasons }];
  });
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return scored.map(({ contact, score, reasons }) => ({ contact: toContactResponse(contact), score, reasons }));
}

export function createDuplicatesService(deps: DuplicatesServiceDependencies) {
  return {
    /** Candidates from indexed lookups only (shared phone, email, unique value, name), then scored. */
    async findDuplicates(id: string, limit: number): Promise<Duplicate[]> {
      const document = await deps.repository.findById(id);
      if (!document) throw contactNotFound(id);
      const probes = duplicateProbesOf(document, await deps.definitions.get());
      const found = await mapConcurrently(probes, (probe) =>
        deps.repository.findWhereAll(probe.equalities, maxCandidatesPerProbe),
      );
      return rankDuplicates(document, gatherCandidates(probes, found, String(document._id))).slice(0, limit);
    },
  };
}

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;
