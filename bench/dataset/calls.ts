import { generatePhone } from './phones';
import type { Random } from './random';

/** One call as a CTI posts it: its id, the caller's number and each leg's body `interaction`. */
export interface GeneratedCall {
  callId: string;
  ani: string;
  legs: Record<string, string>[];
}

const firstCall = Date.UTC(2025, 0, 1);
const yearSeconds = 365 * 86_400;
const teams = ['Billing', 'Sales', 'Support', 'Retention'] as const;
const wrapUps = ['billing-question', 'new-order', 'complaint', 'address-change', 'cancellation'] as const;
const legTypes = ['IVR', 'queue', 'agent', 'transfer', 'agent', 'consult'] as const;

function agentIdOf(random: Random): string {
  return `agent${String(random.int(1, 400)).padStart(4, '0')}`;
}

/** One leg of a call; legs of a call follow each other in time. */
export function generateLeg(type: string, callId: string, start: Date, random: Random): Record<string, string> {
  const team = random.pick(teams);
  const duration = String(random.int(5, type === 'agent' ? 900 : 180));
  const common = { type, start_time: start.toISOString(), call_id: callId, interaction_type: 'inbound' };
  switch (type) {
    case 'IVR':
      return {
        ...common,
        call_duration: duration,
        ivr_trail: `welcome>lang:${random.int(1, 3)}>menu:${random.int(1, 5)}`,
      };
    case 'queue':
      return { ...common, call_duration: duration, csq: `CSQ_${team}`, team_name: team };
    case 'agent':
      return {
        ...common,
        agentId: agentIdOf(random),
        call_duration: duration,
        csq: `CSQ_${team}`,
        team_name: team,
        call_disposition: random.pick(['handled', 'handled', 'handled', 'transferred']),
        wrap_up: random.pick(wrapUps),
      };
    default:
      return { ...common, agentId: agentIdOf(random), call_duration: duration, call_id: `${callId}-${type}` };
  }
}

/** A call of 1–6 legs; 88% from a known contact's number, 10% from an unknown number, 2% anonymous. */
export function generateCall(index: number, contactAnis: string[][], random: Random): GeneratedCall {
  const callId = `${(1_700_000_000 + index).toString(36)}-${random.hex(8)}`;
  const roll = random.next();
  const ani =
    roll < 0.88 && contactAnis.length
      ? random.pick(random.pick(contactAnis))
      : roll < 0.98
        ? generatePhone(random).ani
        : 'anonymous';
  let start = firstCall + random.int(0, yearSeconds) * 1000;
  const legs = legTypes.slice(0, random.int(1, 6)).map((type) => {
    const leg = generateLeg(type, callId, new Date(start), random);
    start += Number(leg.call_duration) * 1000;
    return leg;
  });
  return { callId, ani, legs };
}
