import { createHash } from 'node:crypto';
import type { StoredLeg, TreeDocument } from './interaction.model';
import type { LegFields } from './interaction.repository';
import { toInstant } from './start-time';
import { legSchema, type LegInput, type PostedLeg, type LegJson, type TreeJson } from './interaction.schemas';

/** The posted leg with its start_time an instant: a wall-clock time is read in the time zone given. */
export function withInstant(leg: PostedLeg, timeZone: string): LegInput {
  return { ...leg, start_time: toInstant(leg.start_time, timeZone) };
}

/** A leg is the same leg when its call_id, type, agentId and start_time are; the key names it in the tree. */
export function legKeyOf(leg: LegInput): string {
  const identity = JSON.stringify([leg.call_id ?? '', leg.type, leg.agentId ?? '', leg.start_time.toISOString()]);
  return `l${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/** The fields a post sets: those it carries; absent fields keep their stored values. */
export function toLegFields(leg: LegInput): LegFields {
  return Object.fromEntries(Object.entries(leg).filter(([, value]) => value !== undefined)) as LegFields;
}

/** The document's field order; internal fields (addedAt) stay out. */
const legFieldOrder = Object.keys(legSchema.shape) as (keyof LegJson)[];

export function toLegJson(leg: StoredLeg): LegJson {
  const json: Record<string, string> = {};
  for (const name of legFieldOrder) {
    const value = leg[name];
    if (value instanceof Date) json[name] = value.toISOString();
    else if (typeof value === 'string') json[name] = value;
  }
  return json as LegJson;
}

export function toTreeJson(tree: TreeDocument): TreeJson {
  const legs = Object.entries(tree.legs ?? {})
    .sort(([keyA, a], [keyB, b]) => compareLegs(a, b) || keyA.localeCompare(keyB))
    .map(([, leg]) => toLegJson(leg));
  return { call_Id: tree._id, phone_number: tree.phone_number, interactions: legs };
}

function compareLegs(a: StoredLeg, b: StoredLeg): number {
  return a.start_time.getTime() - b.start_time.getTime() || a.addedAt.getTime() - b.addedAt.getTime();
}
