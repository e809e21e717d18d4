import { nameQueryPlan } from '../../src/contacts/name-query';

const conditionValues = (text: string) => nameQueryPlan(text).conditions.map((condition) => condition.value);

describe('nameQueryPlan', () => {
  it('looks up each folded word by its name prefix', () => {
    expect(conditionValues('John SMI')).toEqual(['john', 'smi']);
    expect(conditionValues("O'Brien Müller")).toEqual(['obrien', 'muller']);
  });

  it('looks up a word over 8 characters by its first 8 and checks it in full', () => {
    const plan = nameQueryPlan('Wolfeschlegelstein');
    expect(plan.conditions.map((condition) => condition.value)).toEqual(['wolfesch']);
    expect(plan.checks).toHaveLength(1);
  });

  it('needs no check for one short word, and one for several words', () => {
    expect(nameQueryPlan('jo').checks).toEqual([]);
    expect(nameQueryPlan('jo smi').checks).toHaveLength(1);
  });

  it('checks that the words fall on distinct name words', () => {
    const [check] = nameQueryPlan('smith smith').checks;
    const document = (nameTokens: string[]) => ({ _nameTokens: nameTokens }) as never;
    expect(check(document(['john', 'smith']))).toBe(false);
    expect(check(document(['smith', 'smithers']))).toBe(true);
  });

  it('matches a word in either spelling of a name word', () => {
    const [check] = nameQueryPlan('mueller jurgen').checks;
    expect(check({ _nameTokens: ['jurgen|juergen', 'muller|mueller'] } as never)).toBe(true);
  });

  it('says when one word prefixes another, so broad matches are read past', () => {
    expect(nameQueryPlan('ann anna').rejectsMany).toBe(true);
    expect(nameQueryPlan('ann bob').rejectsMany).toBe(false);
  });

  it('uses the first ten words', () => {
    expect(conditionValues('a b c d e f g h i j k')).toHaveLength(10);
  });

  it('refuses a name without letters or digits, and one over 100 characters, with 400 naming the path', () => {
    expect(() => nameQueryPlan(' -- ', 'name')).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'name', message: 'must not be empty' }] }),
    );
    expect(() => nameQueryPlan('a'.repeat(101), 'name')).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'name', message: 'must be at most 100 characters' }] }),
    );
    expect(conditionValues('a'.repeat(100))).toEqual(['aaaaaaaa']);
  });
});
