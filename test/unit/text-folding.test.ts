import { foldText, foldedSpellings } from '../../src/values/text-folding';

describe('foldText', () => {
  it.each([
    ['MÜLLER', 'muller'],
    ['Søren', 'soren'],
    ['Łódź', 'lodz'],
    ['Straße', 'strasse'],
    ['Ærø', 'aero'],
    ['İstanbul', 'istanbul'],
    ['Ναι', 'nai'],
  ])('folds %s to %s: lower case, accents and letters decomposition leaves alone', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });

  it.each([
    ['full-width letters', 'ｓｏｒｅｎ', 'soren'],
    ['mathematical letters', '𝕾𝖔𝖗𝖊𝖓', 'soren'],
    ['a ligature', 'ﬁnance', 'finance'],
    ['a combining accent', 'n\u0303o', 'no'],
  ])('reads %s as the plain letters (NFKC first)', (_case, text, folded) => {
    expect(foldText(text)).toBe(folded);
  });

  it('collapses runs of white space, no-break spaces included, and trims', () => {
    expect(foldText('  Ann \t\n  Marie\u00a0Smith  ')).toBe('ann marie smith');
  });

  it('folds empty and blank text to the empty string', () => {
    expect(foldText('')).toBe('');
    expect(foldText(' \t ')).toBe('');
  });
});

describe('foldedSpellings', () => {
  it.each([
    ['Müller', ['muller', 'mueller']],
    ['Søren', ['soren', 'soeren']],
    ['Åsa', ['asa', 'aasa']],
    ['ÄRØ', ['aro', 'aeroe']],
  ])('gives %s its plain and its written-out spelling', (text, spellings) => {
    expect(foldedSpellings(text)).toEqual(spellings);
  });

  it('gives one spelling when writing out changes nothing', () => {
    expect(foldedSpellings('Łódź')).toEqual(['lodz']);
    expect(foldedSpellings('Straße')).toEqual(['strasse']);
    expect(foldedSpellings('')).toEqual(['']);
  });
});
