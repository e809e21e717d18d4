import { randomBytes } from 'node:crypto';
import type { TestApp } from '../support/test-app';

export interface LegOverrides {
  [field: string]: unknown;
}

/** A call id no other test uses. */
export function newCallId(): string {
  return `call-${randomBytes(6).toString('hex')}`;
}

/** An agent leg as a CTI posts it when the leg starts; override or add fields per test. */
export function startedLeg(overrides: LegOverrides = {}): Record<string, unknown> {
  return {
    type: 'agent',
    agentId: 'agent-7',
    start_time: '2024-05-01T09:30:00.000Z',
    call_id: 'cti-1',
    team_name: 'Billing',
    csq: 'billing-en',
    interaction_type: 'inbound',
    ...overrides,
  };
}

/** The fields a CTI adds when the leg ends. */
export const endedFields = { call_duration: '184', call_disposition: 'handled', wrap_up: 'refund issued' };

export function postLeg(t: TestApp, callId: string, interaction: Record<string, unknown>, extra: object = {}) {
  return t.http
    .post(`/interactions/updateOrSaveInteractionTree/${encodeURIComponent(callId)}`)
    .send({ interaction, ani: '+14155550100', ...extra });
}

export function getCall(t: TestApp, callId: string) {
  return t.http.get(`/interactions/call/${encodeURIComponent(callId)}`);
}

/** Posts a one-leg call from this ANI that started at the given instant; resolves to its call_Id. */
export async function postCall(t: TestApp, ani: string, startTime: string): Promise<string> {
  const callId = newCallId();
  const res = await postLeg(t, callId, startedLeg({ start_time: startTime }), { ani });
  if (res.status !== 200) throw new Error(`postCall failed: ${res.status} ${JSON.stringify(res.body)}`);
  return callId;
}

export function loadHistory(t: TestApp, contactId: string, query = '') {
  return t.http.get(`/interactions/loadInteractions/${contactId}${query}`);
}

/** The call ids of a history answer, in its order. */
export function callIdsOf(res: { body: { call_Id: string }[] }): string[] {
  return res.body.map((tree) => tree.call_Id);
}
