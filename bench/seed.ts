import { Types, type Connection } from 'mongoose';
import { contactModel } from '../src/contacts/contact.model';
import { checkCompleteContact, parseContactPatch } from '../src/contacts/contact-validation';
import { toE164 } from '../src/values/phone-number';
import { searchFieldsOf } from '../src/contacts/search-fields';
import { legKeyOf, toLegFields, withInstant } from '../src/interactions/interaction-json';
import type { StoredLeg, TreeDocument } from '../src/interactions/interaction.model';
import { treeModel } from '../src/interactions/interaction.model';
import { legInputSchema } from '../src/interactions/interaction.schemas';
import { attributeModel } from '../src/attributes/attribute.model';
import { loadDefinitions, type Definitions } from '../src/attributes/definitions';
import { generateCall, type GeneratedCall } from './dataset/calls';
import { generateContact, type GeneratedContact } from './dataset/contacts';
import { createRandom } from './dataset/random';

export interface SeedOptions {
  contacts: number;
  calls: number;
  seed: number;
  phoneRegion: string;
}

/** What the workload draws its requests from: a seeded sample of the stored contacts. */
export interface SeededData {
  contacts: number;
  calls: number;
  sample: GeneratedContact[];
}

const batchSize = 1_000;
const sampleSize = 2_000;

/** The stored form of a contact, exactly as the API would write it: validated, normalised, search fields. */
function storedContactOf(contact: GeneratedContact, definitions: Definitions, phoneRegion: string) {
  const { set } = parseContactPatch(contact.input, definitions, phoneRegion);
  checkCompleteContact(set, definitions);
  const _id = new Types.ObjectId(contact._id);
  return {
    _id,
    ...set,
    ...searchFieldsOf(set, definitions, _id),
    createdAt: contact.createdAt,
    updatedAt: contact.createdAt,
  };
}

/** The stored form of a call tree, as the interactions service builds it from the CTI's posts. */
function storedTreeOf(call: GeneratedCall, phoneRegion: string): TreeDocument {
  const legs: Record<string, StoredLeg> = {};
  for (const [index, raw] of call.legs.entries()) {
    const leg = withInstant(legInputSchema.parse(raw), 'UTC');
    legs[legKeyOf(leg)] = { ...toLegFields(leg), addedAt: new Date(leg.start_time.getTime() + index) };
  }
  const starts = Object.values(legs).map((leg) => leg.start_time.getTime());
  return {
    _id: call.callId,
    phone_number: call.ani,
    phoneKey: toE164(call.ani, phoneRegion),
    startedAt: new Date(Math.min(...starts)),
    legs,
  };
}

/**
 * Writes the data set straight into the collections (the schema was defined through the API before), in
 * batches; the same seed always gives the same documents.
 */
export async function seedData(connection: Connection, options: SeedOptions): Promise<SeededData> {
  const definitions = await loadDefinitions(attributeModel(connection));
  const random = createRandom(options.seed);
  const contacts = contactModel(connection).collection;
  const trees = treeModel(connection).collection;
  const sampleEvery = Math.max(1, Math.floor(options.contacts / sampleSize));
  const sample: GeneratedContact[] = [];
  const anis: string[][] = [];
  let batch: ReturnType<typeof storedContactOf>[] = [];
  for (let index = 0; index < options.contacts; index++) {
    const contact = generateContact(index, random);
    if (index % sampleEvery === 0) sample.push(contact);
    anis.push(contact.anis);
    batch.push(storedContactOf(contact, definitions, options.phoneRegion));
    if (batch.length === batchSize || index === options.contacts - 1) {
      await contacts.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  let treeBatch: TreeDocument[] = [];
  for (let index = 0; index < options.calls; index++) {
    treeBatch.push(storedTreeOf(generateCall(index, anis, random), options.phoneRegion));
    if (treeBatch.length === batchSize || index === options.calls - 1) {
      await trees.insertMany(treeBatch as never[], { ordered: false });
      treeBatch = [];
    }
  }
  return { contacts: options.contacts, calls: options.calls, sample };
}
