import { planSearch, type SearchTerms } from '../../src/contacts/search-terms';
import { definitionsOf, systemTypes } from './definitions';

const definitions = definitionsOf({
  ...systemTypes,
  city: 'string',
  age: 'number',
  vip: 'boolean',
  tier: 'enum',
  born: 'date',
});
const plan = (terms: SearchTerms) => planSearch(terms, definitions, 'US');
const lookups = (terms: SearchTerms) =>
  plan(terms).conditions.map((condition) => `${condition.field}=${String(condition.value)}`);
const refusal = (terms: SearchTerms) => {
  try {
    plan(terms);
  } catch (error) {
    return error;
  }
  throw new Error(`planSearch accepted ${JSON.stringify(terms)}`);
};

describe('planSearch on the phone term', () => {
  it('looks a whole number up as E.164 among all phones', () => {
    expect(lookups({ phone: '(415) 555-0100' })).toEqual(['_phones=+14155550100']);
  });

  it('looks 6 or more leading digits up among phone prefixes', () => {
    expect(lookups({ phone: '415 555' })).toEqual(['_phonePrefixes=415555']);
  });

  it.each(['41555', 'call 415555', '1'.repeat(21)])('refuses %j with 400 naming the term', (phone) => {
    expect(refusal({ phone })).toMatchObject({
      status: 400,
      errors: [{ path: 'phone', message: 'is not a phone number, nor its first 6 digits or more' }],
    });
  });
});

describe('planSearch on attribute terms', () => {
  it('looks text up by its longest stored folded prefix (up to 6 characters, then 8, 10 … 32), checking the rest', () => {
    expect(lookups({ city: 'Køben' })).toEqual(['_prefixes=city:koben']);
    expect(plan({ city: 'Køben' }).checks).toEqual([]);
    expect(lookups({ city: 'kobenhavnby' })).toEqual(['_prefixes=city:kobenhavnb']);
    expect(plan({ city: 'kobenhavnby' }).checks).toHaveLength(1);
    expect(lookups({ city: 'kobenha' })).toEqual(['_prefixes=city:kobenh']);
    expect(lookups({ city: 'kobenhavnbyx' })).toEqual(['_prefixes=city:kobenhavnbyx']);
    expect(plan({ city: 'kobenhavnbyx' }).checks).toEqual([]);
  });

  it('looks first and last name up by the first word of the name prefixes, checking the whole prefix', () => {
    expect(lookups({ first_name: 'Jo Smi' })).toEqual(['_names=jo']);
    expect(plan({ first_name: 'Jo Smi' }).checks).toHaveLength(1);
  });

  it('coerces exact values from strings and numbers', () => {
    expect(lookups({ age: '42' })).toEqual(['_kv=age:42']);
    expect(lookups({ vip: 'true' })).toEqual(['_kv=vip:true']);
    expect(lookups({ tier: 'GOLD' })).toEqual(['_kv=tier:gold']);
    expect(lookups({ born: '2024-05-01T10:00:00Z' })).toEqual(['_kv=born:2024-05-01T10:00:00.000Z']);
    expect(lookups({ phone1: 4155550100 })).toEqual(['_kv=phone1:+14155550100']);
  });

  it('combines terms with AND, one condition each', () => {
    expect(lookups({ city: 'ab', age: 42 })).toEqual(['_prefixes=city:ab', '_kv=age:42']);
  });

  it('reads the name term as name search does', () => {
    expect(lookups({ name: 'jo smi' })).toEqual(['_names=jo', '_names=smi']);
  });
});

describe('planSearch refusals', () => {
  it.each([
    [{ city: '  ' }, 'city'],
    [{ first_name: '--' }, 'first_name'],
    [{ tier: 'gol' }, 'tier'],
    [{ phone1: 'abc' }, 'phone1'],
    [{ vip: 'yes' }, 'vip'],
  ])('refuses %j with 400 naming %s', (terms, path) => {
    expect(refusal(terms)).toMatchObject({ status: 400, errors: [{ path }] });
  });

  it('names every bad term in one refusal, an unknown one included', () => {
    expect(refusal({ nope: 1, age: 'x', city: 'fine' })).toMatchObject({
      status: 400,
      errors: [{ path: 'nope', message: 'is not a search term: use an attribute key, phone or name' }, { path: 'age' }],
    });
  });
});
