import type { Connection } from 'mongoose';

interface UnfinishedMigration {
  /** The attribute key whose stored values are being migrated. */
  _id: string;
  /** Values must be converted (a new type) or removed (a deleted attribute), not only their claims rebuilt. */
  rewriteValues: boolean;
  changedAt: Date;
}

/**
 * Definition changes whose data migration has not finished: recorded before the definition is written, removed
 * once both passes are done. A holder that loses the definitions' lock, or crashes, leaves its record behind; the
 * next definition write, and every start, finishes it first, so no contact keeps a deleted attribute's value
 * (personal data) or a value of the old type.
 */
export function createUnfinishedMigrations(connection: Connection) {
  const records = connection.collection<UnfinishedMigration>('attribute_migrations');
  return {
    begin: (key: string, rewriteValues: boolean, changedAt: Date) =>
      records.updateOne({ _id: key }, { $set: { rewriteValues, changedAt } }, { upsert: true }),
    end: (key: string) => records.deleteOne({ _id: key }),
    list: () => records.find({}).toArray(),
  };
}

export type UnfinishedMigrations = ReturnType<typeof createUnfinishedMigrations>;
