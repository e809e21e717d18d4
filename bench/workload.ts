import { generateLeg } from './dataset/calls';
import { accountMapping } from './dataset/schema';
import type { GeneratedContact } from './dataset/contacts';
import { createRandom, type Random } from './dataset/random';
import * as floor from './floor/queries';
import type { SeededData } from './seed';

export type ServerName = 'our' | 'floor';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** One measured path: the same request sequence for both servers (writes go to calls of their own). */
export interface BenchPath {
  name: string;
  title: string;
  kind: 'read' | 'write';
  request(index: number, server: ServerName, run: string): BenchRequest;
  /** The database work of a typical request, as the floor does it: explained to say what serves the path. */
  floorFinds: floor.FloorFind[];
}

const poolSize = 1_000;
const callsPerWave = 500;

function pool<T>(random: Random, contacts: GeneratedContact[], make: (contact: GeneratedContact) => T): T[] {
  return Array.from({ length: Math.min(poolSize, contacts.length * 4) }, () => make(random.pick(contacts)));
}

function prefixOf(random: Random, text: string, min = 3, max = 5): string {
  return text.slice(0, random.int(min, max));
}

function nameQueryOf(random: Random, contact: GeneratedContact): string {
  const [first, last] = [String(contact.input.first_name), String(contact.input.last_name)];
  const roll = random.next();
  if (roll < 0.6) return prefixOf(random, last);
  if (roll < 0.85) return `${first} ${prefixOf(random, last, 2, 4)}`;
  return prefixOf(random, first);
}

function prefixTermsOf(random: Random, contact: GeneratedContact): Record<string, string> {
  if (random.chance(0.5)) return { email: prefixOf(random, String(contact.input.email), 4, 8) };
  return {
    last_name: prefixOf(random, String(contact.input.last_name)),
    city: prefixOf(random, String(contact.input.city), 2, 4),
  };
}

const json = (body: unknown) => JSON.stringify(body);
const get = (path: string): BenchRequest => ({ method: 'GET', path });

export function benchPaths(data: SeededData, seed: number, engine: 'mongodb' | 'ferretdb'): BenchPath[] {
  const random = createRandom(seed + 1);
  const contacts = data.sample;
  const ids = pool(random, contacts, (contact) => contact._id);
  const anis = pool(random, contacts, (contact) => random.pick(contact.anis));
  const accounts = pool(random, contacts, (contact) => String(contact.input.accountNo));
  const names = pool(random, contacts, (contact) => nameQueryOf(random, contact));
  const phoneTerms = pool(random, contacts, (contact) => ({ phone: String(contact.input.phone1) }));
  const prefixTerms = pool(random, contacts, (contact) => prefixTermsOf(random, contact));
  const legTypes = ['IVR', 'queue', 'agent'];
  const legs = legTypes.map((type) => Array.from({ length: 300 }, () => generateLeg(type, 'x', new Date(0), random)));
  const at = <T>(items: T[], index: number) => items[index % items.length];
  const sampleId = ids[0];
  const samplePhones = contacts[0].anis.map((ani) => floor.cheapE164(ani)!);

  return [
    {
      name: 'contact-by-id',
      title: 'GET /contacts/{id}',
      kind: 'read',
      request: (i) => get(`/contacts/${at(ids, i)}`),
      floorFinds: [floor.contactById(sampleId)],
    },
    {
      name: 'screen-pop-ani',
      title: 'GET /contacts/lookup?ani=',
      kind: 'read',
      request: (i) => get(`/contacts/lookup?ani=${encodeURIComponent(at(anis, i))}`),
      floorFinds: [floor.lookup(new URLSearchParams({ ani: anis[0] }))!],
    },
    {
      name: 'screen-pop-call-variable',
      title: `GET /contacts/lookup?${accountMapping.callVariable}=`,
      kind: 'read',
      request: (i) =>
        get(
          `/contacts/lookup?ani=${encodeURIComponent(at(anis, i))}&${accountMapping.callVariable}=${at(accounts, i)}`,
        ),
      floorFinds: [floor.lookup(new URLSearchParams({ [accountMapping.callVariable]: accounts[0] }))!],
    },
    {
      name: 'name-search',
      title: 'GET /contacts/getContactByName/{prefix}',
      kind: 'read',
      request: (i) => get(`/contacts/getContactByName/${encodeURIComponent(at(names, i))}`),
      floorFinds: [floor.byNamePrefix(names[0])],
    },
    {
      name: 'search-terms-phone',
      title: 'POST /contacts/getContactsBySearchTerms {phone}',
      kind: 'read',
      request: (i) => ({ method: 'POST', path: '/contacts/getContactsBySearchTerms', body: json(at(phoneTerms, i)) }),
      floorFinds: [floor.bySearchTerms(phoneTerms[0])],
    },
    {
      name: 'search-terms-prefix',
      title: 'POST /contacts/getContactsBySearchTerms {text prefixes}',
      kind: 'read',
      request: (i) => ({ method: 'POST', path: '/contacts/getContactsBySearchTerms', body: json(at(prefixTerms, i)) }),
      floorFinds: [floor.bySearchTerms(prefixTerms[0])],
    },
    {
      name: 'load-interactions',
      title: 'GET /interactions/loadInteractions/{id}',
      kind: 'read',
      request: (i) => get(`/interactions/loadInteractions/${at(ids, i)}`),
      floorFinds: [floor.phonesOfContact(sampleId), ...floor.historiesOf(samplePhones, engine)],
    },
    {
      name: 'post-leg',
      title: 'POST /interactions/updateOrSaveInteractionTree/{call_Id}',
      kind: 'write',
      request: (i, server, run) => {
        // Calls of three legs (IVR, queue, agent): a wave of first posts creates 500 trees, the next two add a leg
        // to each, so two posts of one call seldom race, as with a real CTI that posts a leg when it starts.
        const wave = Math.floor(i / callsPerWave);
        const callId = `bench-${run}-${server}-${Math.floor(wave / 3) * callsPerWave + (i % callsPerWave)}`;
        const start = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        const interaction = { ...at(legs[wave % 3], i), call_id: callId, start_time: start };
        const body = { interaction, call_Id: callId, ani: at(anis, i % callsPerWave) };
        return { method: 'POST', path: `/interactions/updateOrSaveInteractionTree/${callId}`, body: json(body) };
      },
      floorFinds: [{ collection: 'interactions', filter: { _id: 'bench-sample-call' } }],
    },
  ];
}
