interface Actor {
  role: string;
  keyId: string;
}

/** Who is asking and in which request: routes hand it to the service calls that write the audit trail. */
export interface RequestContext {
  requestId: string;
  actor?: Actor;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types res.locals from this global namespace
  namespace Express {
    interface Locals {
      /** The caller, set by the route's authentication guard. */
      principal?: Actor;
      /** The matched route pattern, set by mountRoutes for the request log. */
      route?: string;
    }
  }
}
