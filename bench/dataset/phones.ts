import type { Random } from './random';

/** A phone number as a person typed it into the CRM, and as a CTI delivers it as the caller's number. */
export interface GeneratedPhone {
  written: string;
  ani: string;
}

const usAreaCodes = ['212', '213', '305', '312', '404', '415', '512', '617', '646', '702', '206', '303'] as const;

type Formatter = (groups: string[]) => string;

interface Country {
  code: string;
  weight: number;
  national(random: Random): string[];
  formats: Formatter[];
}

const countries: Country[] = [
  {
    code: '1',
    weight: 70,
    national: (random) => [random.pick(usAreaCodes), String(random.int(201, 989)), random.digits(4)],
    formats: [
      ([a, e, l]) => `+1 (${a}) ${e}-${l}`,
      ([a, e, l]) => `${a}-${e}-${l}`,
      ([a, e, l]) => `(${a}) ${e} ${l}`,
      ([a, e, l]) => `+1${a}${e}${l}`,
      ([a, e, l]) => `1-${a}-${e}-${l}`,
      ([a, e, l]) => `${a}.${e}.${l}`,
    ],
  },
  {
    code: '33',
    weight: 10,
    national: (random) => [
      random.pick(['6', '7']),
      random.digits(2),
      random.digits(2),
      random.digits(2),
      random.digits(2),
    ],
    formats: [(g) => `+33 ${g.join(' ')}`, (g) => `0033 ${g.join('')}`, (g) => `+33${g.join('')}`],
  },
  {
    code: '44',
    weight: 8,
    national: (random) => [`7${random.digits(3)}`, random.digits(6)],
    formats: [([a, b]) => `+44 ${a} ${b}`, ([a, b]) => `+44${a}${b}`],
  },
  {
    code: '49',
    weight: 7,
    national: (random) => [random.pick(['151', '160', '170']), random.digits(8)],
    formats: [([a, b]) => `+49 ${a} ${b}`, ([a, b]) => `0049 ${a}${b}`],
  },
  {
    code: '34',
    weight: 5,
    national: (random) => [`6${random.digits(2)}`, random.digits(3), random.digits(3)],
    formats: [(g) => `+34 ${g.join(' ')}`, (g) => `+34${g.join('')}`],
  },
];

const totalWeight = countries.reduce((sum, country) => sum + country.weight, 0);

function pickCountry(random: Random): Country {
  let roll = random.next() * totalWeight;
  for (const country of countries) {
    roll -= country.weight;
    if (roll < 0) return country;
  }
  return countries[0];
}

/** A new random number in one of several formats; the ANI is E.164 or, for US numbers, often ten bare digits. */
export function generatePhone(random: Random): GeneratedPhone {
  const country = pickCountry(random);
  const groups = country.national(random);
  const e164 = `+${country.code}${groups.join('')}`;
  const nationalAni = country.code === '1' && random.chance(0.5);
  return { written: random.pick(country.formats)(groups), ani: nationalAni ? groups.join('') : e164 };
}
