import { randomBytes } from 'node:crypto';
import { adminKey } from './server-process';

export interface PlannedRequest {
  kind: 'contact' | 'leg';
  /** Sent as X-Request-Id, so the server's request log can be matched with what the client saw. */
  requestId: string;
  path: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface Outcome {
  request: PlannedRequest;
  startedAt: number;
  endedAt: number;
  status?: number;
  body?: unknown;
  error?: string;
}

export const acknowledged = (outcome: Outcome) => outcome.status !== undefined && outcome.status < 300;

/** Creates of distinct contacts (own phone, unique account, Idempotency-Key each) and distinct legs of a few calls. */
export function requestPlan(callCount = 4) {
  const run = randomBytes(3).toString('hex');
  let sequence = 0;
  const contact = (n: number): PlannedRequest => ({
    kind: 'contact',
    requestId: `${run}-c${n}`,
    path: '/saveContact',
    body: {
      first_name: `Fault${n}`,
      last_name: 'Crash',
      phone1: `+1415${2_000_000 + n}`,
      account: `${run}-${String(n).padStart(6, '0')}`,
    },
    headers: { 'Idempotency-Key': `${run}-contact-${n}` },
  });
  const leg = (n: number): PlannedRequest => {
    const callId = `${run}-call-${n % callCount}`;
    const start_time = new Date(Date.UTC(2024, 0, 1) + n * 1_000).toISOString();
    return {
      kind: 'leg',
      requestId: `${run}-l${n}`,
      path: `/interactions/updateOrSaveInteractionTree/${callId}`,
      body: { ani: '+14155550100', interaction: { type: 'agent', agentId: `agent-${n}`, start_time, call_id: callId } },
      headers: {},
    };
  };
  return () => {
    sequence += 1;
    return sequence % 2 ? contact(sequence) : leg(sequence);
  };
}

/** The unique attribute the plan's contacts carry, so that crashes meet unique-value claims too. */
export async function defineAccountAttribute(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/saveSchema`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ key: 'account', label: 'Account', type: 'string', unique: true }),
  });
  if (res.status !== 200) throw new Error(`defining account failed: ${res.status} ${await res.text()}`);
}

export async function send(baseUrl: string, request: PlannedRequest, attempt = 0): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const res = await fetch(baseUrl + request.path, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${adminKey}`,
        'Content-Type': 'application/json',
        'X-Request-Id': attempt ? `${request.requestId}-r${attempt}` : request.requestId,
        ...request.headers,
      },
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(30_000),
    });
    const body: unknown = await res.json().catch(() => undefined);
    return { request, startedAt, endedAt: Date.now(), status: res.status, body };
  } catch (error) {
    return { request, startedAt, endedAt: Date.now(), error: String((error as Error).cause ?? error) };
  }
}

/** `clients` loops sending the plan's next request until told to stop; resolves with every outcome. */
export async function driveLoad(options: {
  baseUrl: string;
  clients: number;
  next: () => PlannedRequest;
  stopped: () => boolean;
  onOutcome?: (outcome: Outcome) => void;
}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const client = async () => {
    while (!options.stopped()) {
      const outcome = await send(options.baseUrl, options.next());
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return outcomes;
}

/** Sends the request again (same body, same Idempotency-Key) until the server stores it; waits out 409 and 503. */
export async function retryUntilStored(baseUrl: string, request: PlannedRequest, deadline: number): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await send(baseUrl, request, attempt);
    if (acknowledged(outcome)) return outcome;
    const retryable = outcome.error !== undefined || outcome.status === 409 || outcome.status === 503;
    if (!retryable || Date.now() > deadline) {
      throw new Error(
        `retry of ${request.requestId} failed: ${outcome.status ?? outcome.error} ${JSON.stringify(outcome.body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
