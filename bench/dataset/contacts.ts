import { cities, companies, firstNames, lastNames, noteFragments } from './names';
import { generatePhone } from './phones';
import type { Random } from './random';

/** A contact as a client would send it to POST /saveContact, with the id and creation time the bench gives it. */
export interface GeneratedContact {
  _id: string;
  createdAt: Date;
  input: Record<string, unknown>;
  /** Its numbers as a CTI would deliver them when this contact calls. */
  anis: string[];
}

const firstCreated = Date.UTC(2023, 0, 1) / 1000;
const dayMs = 86_400_000;

/** A deterministic ObjectId: creation second, random middle, the index as counter (unique below 16M contacts). */
function objectIdOf(index: number, seconds: number, random: Random): string {
  return seconds.toString(16).padStart(8, '0') + random.hex(10) + (index % 0x1000000).toString(16).padStart(6, '0');
}

function asciiOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export function generateContact(index: number, random: Random): GeneratedContact {
  const seconds = firstCreated + index * 600 + random.int(0, 599);
  const firstName = random.pick(firstNames);
  const lastName = random.pick(lastNames);
  const phones = [generatePhone(random)];
  if (random.chance(0.4)) phones.push(generatePhone(random));
  if (random.chance(0.2)) phones.push(generatePhone(random));
  const company = random.chance(0.5) ? random.pick(companies) : undefined;
  const accountNo = String(10_000_000 + ((index * 7_919 + 12_345) % 89_999_999));
  const since = new Date(Date.UTC(2015, 0, 1) + random.int(0, 3_000) * dayMs);
  const input: Record<string, unknown> = {
    first_name: firstName,
    last_name: lastName,
    phone1: phones[0].written,
    mobile: phones[1]?.written,
    workPhone: phones[2]?.written,
    accountNo,
    city: random.pick(cities),
    company,
    notes: random.chance(0.3) ? `${random.pick(noteFragments)} ${random.pick(noteFragments)}` : undefined,
    lifetimeValue: Math.round(random.next() * 50_000_00) / 100,
    openTickets: random.chance(0.7) ? random.int(0, 5) : undefined,
    vip: random.chance(0.05),
    marketingOptIn: random.chance(0.6) ? random.chance(0.5) : undefined,
    customerSince: since.toISOString().slice(0, 10),
    lastPurchase: random.chance(0.5) ? new Date(since.getTime() + random.int(0, 900) * dayMs).toISOString() : undefined,
    email: `${asciiOf(firstName)}.${asciiOf(lastName)}${random.int(1, 999)}@${random.pick(['example.com', 'mail.example.org', 'corp.example.net'])}`,
    billingEmail: company ? `billing@${asciiOf(company)}.example.com` : undefined,
    website: company ? `https://www.${asciiOf(company)}.example.com` : undefined,
    crmLink: `https://crm.example.com/accounts/${accountNo}`,
    tier: random.pick(['bronze', 'bronze', 'silver', 'silver', 'gold', 'platinum']),
    language: random.pick(['en', 'en', 'en', 'fr', 'de', 'es', 'it', 'pt']),
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return {
    _id: objectIdOf(index, seconds, random),
    createdAt: new Date(seconds * 1000),
    input,
    anis: phones.map((phone) => phone.ani),
  };
}
