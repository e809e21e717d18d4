import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

let sequence = 0;

/** A US phone number unique within the run, in E.164. */
export function uniquePhone(): string {
  sequence += 1;
  const line = (Date.now() * 7 + sequence * 7919 + randomBytes(2).readUInt16BE()) % 10_000_000;
  return `+1415${String(line).padStart(7, '0')}`;
}

export function contactInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return { first_name: `Ann${sequence}`, last_name: 'Example', phone1: uniquePhone(), ...overrides };
}

export async function createContact(t: TestApp, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/saveContact').send(contactInput(overrides));
  if (res.status !== 200) throw new Error(`createContact failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown> & { _id: string };
}

export async function defineAttribute(t: TestApp, definition: Record<string, unknown>) {
  const res = await t.http.post('/saveSchema').send({ label: String(definition.key), ...definition });
  if (res.status !== 200) throw new Error(`defineAttribute failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown> & { _id: string; key: string };
}

/** An attribute key unique within the run, so tests sharing a database never collide. */
export function uniqueKey(prefix = 'attr'): string {
  sequence += 1;
  return `${prefix}_${sequence}_${randomBytes(2).toString('hex')}`;
}

/** A word of letters only, unique within the run, that name search finds as one word. */
export function uniqueWord(prefix: string): string {
  const letters = [...randomBytes(8)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
  return `${prefix}${letters}`;
}

/** Runs fn(0..count-1) in parallel batches of `size`, keeping the engine busy without flooding it. */
export async function inBatches<T>(count: number, size: number, fn: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    const batch = Array.from({ length: Math.min(size, count - start) }, (_, offset) => fn(start + offset));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

export function createContacts(
  t: TestApp,
  count: number,
  overrides: (index: number) => Record<string, unknown> = () => ({}),
) {
  return inBatches(count, 20, (index) => createContact(t, overrides(index)));
}
