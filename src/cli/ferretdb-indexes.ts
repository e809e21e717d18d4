/**
 * Adds CIM's GIN indexes to a FerretDB v1 database on your own PostgreSQL:
 *   npm run ferretdb:indexes -- postgres://user:password@host:5432/ferretdb [database]
 * The same step `npm start` runs at every start on its embedded engine (or with CIM_FERRETDB_POSTGRES_URL set).
 * Run it after CIM has started once on the database (its collections and declared indexes exist then).
 */
import { addContainmentIndexes } from '../db/containment-indexes';
import { createLogger } from '../logger';

async function main(): Promise<void> {
  const [postgresUrl, dbName = process.env.CIM_DB_NAME ?? 'cim'] = process.argv.slice(2);
  if (!postgresUrl || !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    console.error('usage: npm run ferretdb:indexes -- postgres://user:password@host:5432/ferretdb [database]');
    process.exit(2);
  }
  const created = await addContainmentIndexes(postgresUrl, dbName, createLogger('info'));
  console.log(created ? `${created} indexes added to ${dbName}` : `${dbName} already has every index`);
}

main().catch((error: unknown) => {
  console.error(`adding the indexes failed: ${(error as Error).message}`);
  process.exit(1);
});
