import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const roles = ['admin', 'agent', 'integration'] as const;
export type Role = (typeof roles)[number];

export interface ApiKey {
  role: Role;
  /** Non-secret id for logs and the audit trail: the first 12 hex digits of the key's SHA-256. */
  keyId: string;
  sha256: Buffer;
}

const entryPattern = /^(admin|agent|integration):(?:sha256:([0-9a-fA-F]{64})|(\S{16,}))$/;

/** `role:key` or `role:sha256:<hex>` entries, comma-separated; plaintext keys need at least 16 characters. */
export const apiKeysSchema = z
  .string()
  .optional()
  .transform((text, ctx): ApiKey[] => {
    const entries = (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    return entries.map((entry, index) => {
      const match = entryPattern.exec(entry);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${index + 1} must be role:key (16+ characters) or role:sha256:<64 hex>`,
        });
        return z.NEVER;
      }
      const sha256 = match[2] ? Buffer.from(match[2], 'hex') : sha256Of(match[3]);
      return { role: match[1] as Role, sha256, keyId: `key-${sha256.toString('hex').slice(0, 12)}` };
    });
  });

function sha256Of(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The configured key matching the presented one; compares every key's hash in constant time. */
export function findApiKey(keys: ApiKey[], presented: string): ApiKey | undefined {
  const presentedHash = sha256Of(presented);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.sha256, presentedHash) && !found) found = key;
  }
  return found;
}
