import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/** The job's time and 4 bytes of its id's hash: ids of its contacts start with it, ordinary ObjectIds do not. */
function prefixOf(jobId: Types.ObjectId): Buffer {
  const hash = createHash('sha256').update(String(jobId)).digest();
  return Buffer.concat([jobId.id.subarray(0, 4), hash.subarray(0, 4)]);
}

/**
 * The id of the contact a job creates from a row, the same every time the row is written: a batch written again
 * after a crash finds its contacts already there instead of making them twice.
 */
export function contactIdFor(jobId: Types.ObjectId, row: number): Types.ObjectId {
  const rowBytes = Buffer.alloc(4);
  rowBytes.writeUInt32BE(row);
  return new Types.ObjectId(Buffer.concat([prefixOf(jobId), rowBytes]));
}

/** The row of the job that created the contact, if this job did. */
export function rowOfContact(jobId: Types.ObjectId, contactId: string): number | undefined {
  if (!Types.ObjectId.isValid(contactId)) return undefined;
  const bytes = Buffer.from(new Types.ObjectId(contactId).id);
  return prefixOf(jobId).equals(bytes.subarray(0, 8)) ? bytes.readUInt32BE(8) : undefined;
}
