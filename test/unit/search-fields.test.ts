import { nameTokensOf, prefixesOf, searchFieldsOf } from '../../src/contacts/search-fields';
import { definitionsOf, systemTypes } from './definitions';

const definitions = definitionsOf({ ...systemTypes, city: 'string', mobile: 'phone', age: 'number', vip: 'boolean' });

describe('nameTokensOf', () => {
  it.each([
    ["O'Brien", ['obrien']],
    ['D’Angelo', ['dangelo']],
    ['Müller-Lüdenscheidt', ['muller', 'ludenscheidt']],
    ['J.R.R. Tolkien', ['j', 'r', 'r', 'tolkien']],
    ['a/b;c,d', ['a', 'b', 'c', 'd']],
    ['  ', []],
  ])('splits %j into %j: apostrophes dropped, split on spaces, hyphens, dots and separators', (text, tokens) => {
    expect(nameTokensOf(text)).toEqual(tokens);
  });
});

describe('prefixesOf', () => {
  it('gives every prefix up to the maximum length', () => {
    expect(prefixesOf('abcdefghij', 8)).toEqual(['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh']);
  });

  it('stops at the end of a short text and starts at the minimum length', () => {
    expect(prefixesOf('ab', 8)).toEqual(['a', 'ab']);
    expect(prefixesOf('12345678', 20, 6)).toEqual(['123456', '1234567', '12345678']);
    expect(prefixesOf('12345', 20, 6)).toEqual([]);
  });
});

describe('searchFieldsOf', () => {
  const contact = {
    first_name: 'Jürgen',
    last_name: 'Müller-Lüdenscheidt',
    phone1: '+14155550100',
    mobile: '+442079460958',
    city: 'København',
    age: 42,
    vip: true,
    undefined_attribute: 'ignored',
  };
  const fields = searchFieldsOf(contact, definitions, '0123456789abcdef01234567');

  it('gives one key:value token per defined attribute, text folded, and none for an undefined one', () => {
    expect(fields._kv).toEqual([
      'first_name:jurgen',
      'last_name:muller-ludenscheidt',
      'phone1:+14155550100',
      'mobile:+442079460958',
      'city:kobenhavn',
      'age:42',
      'vip:true',
    ]);
  });

  it('collects the numbers of every phone attribute, and their leading digits from 6 on', () => {
    expect(fields._phones).toEqual(['+14155550100', '+442079460958']);
    expect(fields._phonePrefixes).toEqual(expect.arrayContaining(['141555', '415555', '442079', '020794', '207946']));
    expect(fields._phonePrefixes).not.toContain('14155');
  });

  it('keeps each name word in both spellings, and both full-name orders', () => {
    expect(fields._nameTokens).toEqual(['jurgen|juergen', 'muller|mueller', 'ludenscheidt|luedenscheidt']);
    expect(fields._fullNames).toEqual(['jurgen muller ludenscheidt', 'muller ludenscheidt jurgen']);
    expect(fields._sortName).toBe('muller ludenscheidt jurgen');
  });

  it('stores name prefixes of up to 8 characters in every spelling, twice', () => {
    expect(fields._names).toEqual(expect.arrayContaining(['j', 'jurgen', 'juergen', 'mue', 'ludensch', 'luedensc']));
    expect(fields._names).not.toContain('ludensche');
    expect(fields._names2).toEqual(fields._names);
  });

  it('stores every prefix of other text attributes up to 6 characters, then 8, 10, 12 … 32 only', () => {
    expect(fields._prefixes).toEqual(expect.arrayContaining(['city:k', 'city:kobenh', 'city:koeben']));
    expect(fields._prefixes).toEqual(expect.arrayContaining(['city:kobenhav', 'city:koebenha']));
    expect(fields._prefixes).not.toContain('city:kobenha');
    expect(fields._prefixes.filter((token) => !token.startsWith('city:'))).toEqual([]);
  });

  it('stops long prefixes at 32 characters', () => {
    const long = searchFieldsOf({ city: 'a'.repeat(40) }, definitions, 'id')._prefixes.map((token) => token.length);
    expect(long.map((length) => length - 'city:'.length)).toEqual([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32]);
  });

  it('gives a contact without a name no name fields', () => {
    expect(searchFieldsOf({ city: 'Oslo' }, definitions, 'x')).toMatchObject({
      _nameTokens: [],
      _fullNames: [],
      _sortName: '',
      _names: [],
    });
  });

  it('puts a contact in the same sample buckets for the same id', () => {
    const again = searchFieldsOf({ city: 'Oslo' }, definitions, '0123456789abcdef01234567');
    expect(again._sample).toEqual(fields._sample);
    expect(fields._sample).toEqual([expect.stringMatching(/^s64:\d+$/), expect.stringMatching(/^s8:\d$/)]);
  });
});
