import type { AnyBulkWriteOperation, BulkWriteResult, Collection, Document } from 'mongodb';

/**
 * FerretDB v1 on PostgreSQL keeps a connection of its pool (50) per update of a bulk write until the whole
 * command ends, and needs one more for each: a bulk write of 40 updates waits forever for itself, and every other
 * client of the engine with it. Writes go in chunks small enough to leave the pool to everyone else.
 */
const chunkSize = 10;

/** An unordered bulk write, sent in chunks; resolves with the number of documents matched. */
export async function bulkWriteInChunks<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
): Promise<number> {
  let matched = 0;
  for (let start = 0; start < operations.length; start += chunkSize) {
    const result: BulkWriteResult = await collection.bulkWrite(operations.slice(start, start + chunkSize), {
      ordered: false,
    });
    matched += result.matchedCount;
  }
  return matched;
}
