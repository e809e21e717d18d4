import type { Definitions } from '../attributes/definitions';
import { absorbedPhonesOf, type ContactDocument } from './contact.model';
import { attributesOf, toContactResponse, type ContactResponse } from './contact-response';
import { byLikelihood, pairingOf, probeFinds, type Pairing } from './duplicate-pairing';
import { duplicateProbesOf } from './duplicate-probes';
import { searchFieldsOf } from './search-fields';

/** A contact of a screen pop, with the other popped contacts GET /contacts/{id}/duplicates would pair it with. */
export type HintedContact = ContactResponse & { duplicateOf?: Pairing[] };

/** Answers read contacts without their search fields: derived again here, in memory, for the probes to run on. */
function withSearchFields(document: ContactDocument, definitions: Definitions): ContactDocument {
  return {
    ...document,
    ...searchFieldsOf(attributesOf(document), definitions, document._id, absorbedPhonesOf(document)),
  };
}

function pairingsAmong(document: ContactDocument, others: ContactDocument[], definitions: Definitions): Pairing[] {
  const probes = duplicateProbesOf(document, definitions);
  return others
    .flatMap(
      (other) =>
        pairingOf(
          document,
          other,
          probes.filter((probe) => probeFinds(probe, other)),
        ) ?? [],
    )
    .sort(byLikelihood);
}

/** The contacts as answered; when there are several, each with its `duplicateOf` among the others, best first. */
export function withDuplicateHints(documents: ContactDocument[], definitions: Definitions): HintedContact[] {
  if (documents.length < 2) return documents.map(toContactResponse);
  const complete = documents.map((document) => withSearchFields(document, definitions));
  return complete.map((document, index) => ({
    ...toContactResponse(documents[index]),
    duplicateOf: pairingsAmong(
      document,
      complete.filter((other) => other !== document),
      definitions,
    ),
  }));
}
