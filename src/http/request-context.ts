import { AsyncLocalStorage } from 'node:async_hooks';

export interface Actor {
  role: string;
  keyId: string;
}

export interface RequestContext {
  requestId: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Who is asking, for the audit trail, without threading it through every service call. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
