import { phoneDigitForms, toE164 } from '../../src/values/phone-number';

describe('toE164', () => {
  it.each(['+1 (415) 555-0100', '415-555-0100', '(415) 555 0100', '1-415-555-0100', '0014155550100', ' 4155550100 '])(
    'reads %j in the US region as +14155550100',
    (text) => {
      expect(toE164(text, 'US')).toBe('+14155550100');
    },
  );

  it('reads a national number in the region given, and 00 as the international prefix in any region', () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(toE164('020 7946 0958', 'US')).toBeNull();
    expect(toE164('00442079460958', 'US')).toBe('+442079460958');
    expect(toE164('030 123456', 'DE')).toBe('+4930123456');
  });

  it('drops an extension', () => {
    expect(toE164('+14155550100x12', 'US')).toBe('+14155550100');
    expect(toE164('4155550100 ext 12', 'US')).toBe('+14155550100');
  });

  it.each(['anonymous', 'restricted', '', '   ', '+', '12', '+999 123', '+1 415 555 01000000', '1-800-FLOWERS'])(
    'gives null for %j, which is no possible phone number',
    (text) => {
      expect(toE164(text, 'US')).toBeNull();
    },
  );

  it('gives null for text over 64 characters, even of digits', () => {
    expect(toE164('1'.repeat(65), 'US')).toBeNull();
  });

  it('answers a repeated number the same way, per region', () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(toE164('020 7946 0958', 'US')).toBeNull();
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
  });
});

describe('phoneDigitForms', () => {
  it('gives the international, national and national-number digits a person may type', () => {
    expect(phoneDigitForms('+442079460958')).toEqual(['442079460958', '02079460958', '2079460958']);
  });

  it('leaves out a national form equal to another', () => {
    expect(phoneDigitForms('+14155550100')).toEqual(['14155550100', '4155550100']);
  });
});
