import { checkReadOnlyMembers, splitReadOnlyMembers } from '../../src/http/read-only';

const at = new Date('2024-01-01T00:00:00Z');
const stored = { _id: '0123456789abcdef01234567', createdAt: at, updatedAt: at, system: false };
const refusalOf = (sent: Parameters<typeof checkReadOnlyMembers>[0]) => {
  try {
    checkReadOnlyMembers(sent, stored, 'contact');
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('checkReadOnlyMembers', () => {
  it('accepts members sent back as GET returned them, in any ISO spelling of the same instant', () => {
    expect(refusalOf({})).toBeUndefined();
    expect(refusalOf({ ...stored, createdAt: at.toISOString(), updatedAt: at.toISOString() })).toBeUndefined();
    expect(
      refusalOf({ createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00.000+00:00' }),
    ).toBeUndefined();
  });

  it('takes a missing stored system flag as false', () => {
    expect(() => checkReadOnlyMembers({ system: false }, { _id: 'a' }, 'contact')).not.toThrow();
    expect(() => checkReadOnlyMembers({ system: true }, { _id: 'a' }, 'contact')).toThrow();
  });

  it('refuses another id with 400, before any other difference', () => {
    expect(refusalOf({ _id: 'ffffffffffffffffffffffff', updatedAt: '2020-01-01T00:00:00Z' })).toMatchObject({
      status: 400,
      errors: [{ path: '_id', message: 'must be the contact id of the path' }],
    });
  });

  it('refuses another createdAt or system with 400 naming each', () => {
    expect(refusalOf({ createdAt: '2024-01-02T00:00:00Z', system: true })).toMatchObject({
      status: 400,
      errors: [{ path: 'createdAt' }, { path: 'system' }],
    });
  });

  it('answers another updatedAt with 409 and the stored one: the record changed since it was read', () => {
    expect(refusalOf({ updatedAt: '2023-12-31T00:00:00Z' })).toMatchObject({
      status: 409,
      details: { updatedAt: '2024-01-01T00:00:00.000Z' },
    });
  });

  it('judges a read-only difference before a stale updatedAt', () => {
    expect(refusalOf({ createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' })).toMatchObject({
      status: 400,
      errors: [{ path: 'createdAt' }],
    });
  });
});

describe('splitReadOnlyMembers', () => {
  it('separates the read-only members named from the rest of the body', () => {
    const body = { _id: 'a', first_name: 'Ann', createdAt: '2024-01-01T00:00:00Z', system: true };
    expect(splitReadOnlyMembers(body, ['_id', 'createdAt', 'updatedAt'])).toEqual([
      { _id: 'a', createdAt: '2024-01-01T00:00:00Z' },
      { first_name: 'Ann', system: true },
    ]);
  });

  it('refuses read-only members of the wrong type with 400 naming each', () => {
    expect(() =>
      splitReadOnlyMembers({ _id: 5, createdAt: 'nope', updatedAt: 'yesterday' }, ['_id', 'createdAt', 'updatedAt']),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        errors: [
          { path: '_id', message: expect.any(String) },
          { path: 'createdAt', message: expect.any(String) },
          { path: 'updatedAt', message: expect.any(String) },
        ],
      }),
    );
  });
});
