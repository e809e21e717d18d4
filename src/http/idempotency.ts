import { isDuplicateKeyError } from '../db/duplicate-key';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Types, type Connection } from 'mongoose';
import { AppError, validationError } from './app-error';
import { stringify as stableStringify } from 'safe-stable-stringify';

interface IdempotencyRecord {
  _id: string;
  fingerprint: string;
  /** The id the first request reserved for what it creates, so a retry after a crash creates the same thing. */
  resourceId: string;
  state: 'in-flight' | 'done';
  response?: unknown;
  startedAt: Date;
  expiresAt: Date;
}

const keepForMs = 24 * 60 * 60 * 1000;
// An in-flight record older than this belonged to a request that died; a retry takes it over.
const abandonedAfterMs = 30_000;
const keyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * The IETF httpapi Idempotency-Key semantics for a create endpoint: a retry with the same key and body
 * replays the first result; the same key with another body is 422; a retry while the first runs is 409.
 */
export async function createIdempotencyStore(connection: Connection) {
  const records = connection.collection<IdempotencyRecord>('idempotency_keys');
  await records.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).catch(() => undefined);

  async function begin(id: string, fingerprint: string): Promise<IdempotencyRecord> {
    const fresh = {
      _id: id,
      fingerprint,
      resourceId: String(new Types.ObjectId()),
      state: 'in-flight' as const,
      startedAt: new Date(),
      expiresAt: new Date(Date.now() + keepForMs),
    };
    try {
      await records.insertOne(fresh);
      return fresh;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await records.findOne({ _id: id });
    if (!existing) return begin(id, fingerprint);
    if (existing.fingerprint !== fingerprint) {
      throw new AppError('idempotency-key-reused', 'This Idempotency-Key was used with a different body.', {
        status: 422,
      });
    }
    if (existing.state === 'in-flight' && Date.now() - existing.startedAt.getTime() < abandonedAfterMs) {
      throw new AppError('idempotency-key-in-flight', 'A request with this Idempotency-Key is still being processed.', {
        status: 409,
        headers: { 'Retry-After': '1' },
      });
    }
    return existing;
  }

  return {
    /** Runs create(reservedId) once per key and body; later calls get the first result. */
    async run<T>(req: Request, res: Response, body: unknown, create: (reservedId?: string) => Promise<T>): Promise<T> {
      const key = req.get('Idempotency-Key');
      if (key === undefined) return create();
      if (!keyPattern.test(key)) {
        throw validationError(
          [{ path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }],
          'Idempotency-Key must be 1–255 visible ASCII characters.',
        );
      }
      const scope = res.locals.principal?.keyId ?? 'anonymous';
      const record = await begin(`${scope}:${req.path}:${key}`, fingerprintOf(body));
      if (record.state === 'done') {
        res.setHeader('Idempotent-Replayed', 'true');
        return record.response as T;
      }
      try {
        const response = await create(record.resourceId);
        await records.updateOne({ _id: record._id }, { $set: { state: 'done', response } });
        return response;
      } catch (error) {
        await records.deleteOne({ _id: record._id });
        throw error;
      }
    },
  };
}

export type IdempotencyStore = Awaited<ReturnType<typeof createIdempotencyStore>>;

/** The same JSON in any key order gives the same fingerprint (safe-stable-stringify sorts the keys). */
function fingerprintOf(body: unknown): string {
  return createHash('sha256')
    .update(stableStringify(body) ?? 'null')
    .digest('hex');
}
