import {
  duplicateScore,
  exactReason,
  nameSimilarity,
  similarNameReason,
  similarNameThreshold,
} from '../../src/contacts/duplicate-score';

const name = (first: string, last: string) => ({ first, last });

describe('nameSimilarity', () => {
  it('finds a typo in each name similar', () => {
    expect(nameSimilarity(name('Jon', 'Smyth'), name('John', 'Smith'))).toBeGreaterThanOrEqual(similarNameThreshold);
  });

  it('finds accented and plain spellings identical, written-out ones too', () => {
    expect(nameSimilarity(name('Hans', 'Muller'), name('Hans', 'Müller'))).toBe(1);
    expect(nameSimilarity(name('Hans', 'Mueller'), name('Hans', 'Müller'))).toBe(1);
  });

  it('reads the other name in both orders', () => {
    expect(nameSimilarity(name('Ann', 'Lee'), name('Lee', 'Ann'))).toBe(1);
  });

  it('keeps unrelated names far apart', () => {
    expect(nameSimilarity(name('Ann', 'Lee'), name('Bob', 'Stone'))).toBeLessThan(similarNameThreshold);
  });

  it('gives 0 when a name is empty', () => {
    expect(nameSimilarity(name('', ''), name('Ann', 'Lee'))).toBe(0);
  });
});

describe('similarNameReason', () => {
  it('weighs a similar name by its similarity and names the other contact’s folded name', () => {
    const reason = similarNameReason(name('Jon', 'Smyth'), name('John', 'Smith'));
    expect(reason).toMatchObject({ kind: 'similar-name', key: 'john smith' });
    expect(reason!.weight).toBeCloseTo(0.4 * 0.8);
  });

  it('gives no reason for unrelated names', () => {
    expect(similarNameReason(name('Ann', 'Lee'), name('Bob', 'Stone'))).toBeUndefined();
  });
});

describe('duplicateScore', () => {
  it('is the weight of a single reason', () => {
    expect(duplicateScore([exactReason('phone', '+14155550123')])).toBe(0.6);
  });

  it('combines independent reasons as 1 − Π(1 − w), to 2 decimals', () => {
    const reasons = [exactReason('phone', '+14155550123'), exactReason('full-name', 'ann lee')];
    expect(duplicateScore(reasons)).toBe(0.8);
  });

  it('never exceeds 1 and is 0 without a reason', () => {
    const many = Array.from({ length: 30 }, (_, index) => exactReason('unique', `k:${index}`));
    expect(duplicateScore(many)).toBe(1);
    expect(duplicateScore([])).toBe(0);
  });
});
