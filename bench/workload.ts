import { generateLeg } from './dataset/calls';
import { accountMapping } from './dataset/schema';
import type { GeneratedContact } from './dataset/contacts';
import { createRandom, type Random } from './dataset/random';
import * as floor from './floor/queries';
import type { SeededData } from './seed';

type ServerName = 'our' | 'floor';

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
const callFlowSteps = 6;

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

/**
 * One call as a CTI and an agent desktop handle it: screen pop by ANI, the IVR leg, the agent leg, the agent
 * opens the contact and its history, the agent leg ends. Each connection takes the next step of some call, so
 * steps of one call may overlap, as they do when a CTI retries; every post carries the ANI.
 */
function callFlowRequest(contact: GeneratedContact, step: number, callId: string, flow: number): BenchRequest {
  const ani = contact.anis[0];
  const start = (offsetS: number) => new Date(Date.UTC(2026, 1, 1) + flow * 60_000 + offsetS * 1000).toISOString();
  const agentLeg = { type: 'agent', agentId: `agent${String(flow % 400).padStart(4, '0')}`, start_time: start(40) };
  const post = (interaction: Record<string, string>): BenchRequest => ({
    method: 'POST',
    path: `/interactions/updateOrSaveInteractionTree/${callId}`,
    body: json({ interaction: { ...interaction, call_id: callId }, call_Id: callId, ani }),
  });
  switch (step) {
    case 0:
      return get(`/contacts/lookup?ani=${encodeURIComponent(ani)}`);
    case 1:
      return post({ type: 'IVR', start_time: start(0), call_duration: '38', ivr_trail: 'welcome>menu:2' });
    case 2:
      return post({ ...agentLeg, csq: 'CSQ_Support', team_name: 'Support' });
    case 3:
      return get(`/contacts/${contact._id}`);
    case 4:
      return get(`/interactions/loadInteractions/${contact._id}`);
    default:
      return post({ ...agentLeg, call_duration: '312', call_disposition: 'handled', wrap_up: 'address-change' });
  }
}

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
    {
      name: 'call-flow',
      title: 'call flow: screen pop, IVR leg, agent leg, contact, history, leg end',
      kind: 'write',
      request: (i, server, run) => {
        const flow = Math.floor(i / callFlowSteps);
        const callId = `flow-${run}-${server}-${flow}`;
        return callFlowRequest(at(contacts, flow * 7919), i % callFlowSteps, callId, flow);
      },
      floorFinds: [
        floor.lookup(new URLSearchParams({ ani: anis[0] }))!,
        { collection: 'interactions', filter: { _id: 'bench-sample-call' } },
        floor.contactById(sampleId),
        floor.phonesOfContact(sampleId),
        ...floor.historiesOf(samplePhones, engine),
      ],
    },
  ];
}
