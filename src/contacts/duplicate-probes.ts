import { searchTokenOf, uniqueTokenOf } from '../attributes/attribute-types';
import type { Definitions } from '../attributes/definitions';
import type { Equality } from '../db/all-of';
import type { ContactDocument } from './contact.model';
import { attributesOf } from './contact-response';
import { exactReason, type PersonName, type WeightedReason } from './duplicate-score';
import { namePrefixLength, nameTokensOf, type ContactAttributes } from './search-fields';

/** One indexed lookup for candidates, and what a contact it finds shares with the contact (none for name lookups). */
export interface DuplicateProbe {
  equalities: Equality[];
  reason?: WeightedReason;
  /** Checks the candidate really shares the value (a long text's search token is cut, its unique token is not). */
  holds?: (candidate: ContactAttributes) => boolean;
}

/** Typos rarely hit the first two letters of a name word: `Jon Smyth` and `John Smith` share `jo` and `sm`. */
const similarNamePrefixLength = 2;

export function personNameOf(attributes: ContactAttributes): PersonName {
  return { first: String(attributes.first_name ?? ''), last: String(attributes.last_name ?? '') };
}

function phoneProbes(document: ContactDocument): DuplicateProbe[] {
  return (document._phones ?? []).map((phone) => ({
    equalities: [{ _phones: phone }],
    reason: exactReason('phone', phone),
  }));
}

/** Email values and unique values, looked up by their `key:value` search token. */
function valueProbes(attributes: ContactAttributes, definitions: Definitions): DuplicateProbe[] {
  return definitions.list
    .filter((definition) => (definition.unique || definition.type === 'email') && attributes[definition.key] != null)
    .map(({ key, type, unique }) => {
      const token = uniqueTokenOf(key, type, attributes[key]);
      const holds = (candidate: ContactAttributes) =>
        candidate[key] != null && uniqueTokenOf(key, type, candidate[key]) === token;
      return {
        equalities: [{ _kv: searchTokenOf(key, type, attributes[key]) }],
        reason: exactReason(unique ? 'unique' : 'email', token),
        holds,
      };
    });
}

function fullNameProbes(document: ContactDocument): DuplicateProbe[] {
  const [firstLast] = document._fullNames ?? [];
  return firstLast ? [{ equalities: [{ _fullNames: firstLast }], reason: exactReason('full-name', firstLast) }] : [];
}

/** Contacts whose first and last name words start like this contact's: scored by similarity afterwards. */
function similarNameProbes(name: PersonName): DuplicateProbe[] {
  const [first] = nameTokensOf(name.first);
  const [last] = nameTokensOf(name.last);
  const short = (word: string) => word.slice(0, similarNamePrefixLength);
  const long = (word: string) => word.slice(0, namePrefixLength);
  if (!first || !last) {
    const word = first ?? last;
    return word ? [{ equalities: [{ _names: short(word) }] }] : [];
  }
  const pairs = [
    [short(first), short(last)],
    [long(first), short(last)],
    [short(first), long(last)],
  ];
  const distinct = [...new Map(pairs.map((pair) => [pair.join(' '), pair])).values()];
  return distinct.map(([firstPrefix, lastPrefix]): DuplicateProbe => ({
    equalities: [{ _names: firstPrefix }, { _names2: lastPrefix }],
  }));
}

/** Every lookup that may find a duplicate of the contact: one equality find each. */
export function duplicateProbesOf(document: ContactDocument, definitions: Definitions): DuplicateProbe[] {
  const attributes = attributesOf(document);
  return [
    ...phoneProbes(document),
    ...valueProbes(attributes, definitions),
    ...fullNameProbes(document),
    ...similarNameProbes(personNameOf(attributes)),
  ];
}
