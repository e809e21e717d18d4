import type { ServerProcess } from './launch';

/** POSTs a JSON body as the bench's admin; anything but 2xx throws with the answer. */
export async function postJson(server: ServerProcess, apiKey: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route} answered ${res.status}: ${await res.text()}`);
}
