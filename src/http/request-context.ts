interface Actor {
  role: string;
  keyId: string;
}

/** Who is asking and in which request: routes hand it to the service calls that write the audit trail. */
export interface RequestContext {
  requestId: string;
  actor?: Actor;
}
