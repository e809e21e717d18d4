import { allOf } from '../../src/db/all-of';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connection';
import { testDatabaseUri, uniqueDbName } from '../support/test-app';

describe('allOf', () => {
  it('lifts the first plain equality on each field to the top level and keeps the others under $and', () => {
    const regex = { _kv: { $regex: '^city:par' } };
    expect(allOf([regex, { _phones: '+14155550100' }, { _kv: 'tier:gold' }, { _kv: 'vip:true' }])).toEqual({
      _phones: '+14155550100',
      _kv: 'tier:gold',
      $and: [regex, { _kv: 'vip:true' }],
    });
  });

  it('returns a single condition as it is, and $and when no condition is a plain equality', () => {
    const regex = { _nameTokens: { $regex: '^jo' } };
    expect(allOf([{ _kv: 'tier:gold' }])).toEqual({ _kv: 'tier:gold' });
    expect(allOf([regex])).toEqual(regex);
    expect(allOf([regex, { $or: [{ a: 1 }] }])).toEqual({ $and: [regex, { $or: [{ a: 1 }] }] });
  });

  describe('on the engine', () => {
    let db: DatabaseHandle;
    beforeAll(async () => {
      db = await connectDatabase(testDatabaseUri(), uniqueDbName());
      await db.connection.collection('things').insertMany([
        { n: 1, _kv: ['a:1', 'b:1'], _phones: ['+1'] },
        { n: 2, _kv: ['a:1', 'b:2'], _phones: ['+2'] },
        { n: 3, _kv: ['a:2', 'b:1'], _phones: ['+1', '+2'] },
      ]);
    });
    afterAll(async () => {
      await db.connection.dropDatabase();
      await db.connection.close();
    });

    it.each([
      [[{ _kv: 'a:1' }, { _kv: 'b:1' }]],
      [[{ _kv: { $regex: '^b:' } }, { _phones: '+2' }]],
      [[{ _kv: 'a:1' }, { _kv: 'a:1' }, { _phones: '+1' }]],
      [[{ _kv: 'b:1' }, { _phones: '+1' }, { _kv: 'a:2' }]],
    ])('matches what $and matches: %j', async (conditions) => {
      const things = db.connection.collection('things');
      const numbers = async (filter: Record<string, unknown>) =>
        (await things.find(filter).sort({ n: 1 }).toArray()).map((thing) => thing.n);

      expect(await numbers(allOf(conditions))).toEqual(await numbers({ $and: conditions }));
    });
  });
});
