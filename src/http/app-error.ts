export interface FieldError {
  path: string;
  message: string;
}

/** Every problem the API answers, as `urn:cim:problem:<code>`; a new one is added here, a typo does not compile. */
export type ProblemCode =
  | 'attribute-exists'
  | 'attribute-in-use'
  | 'attribute-not-found'
  | 'bad-input'
  | 'body-too-large'
  | 'busy'
  | 'call-not-found'
  | 'changed-since-read'
  | 'conflict'
  | 'contact-merged'
  | 'contact-not-found'
  | 'delivery-not-found'
  | 'contacts-violate-change'
  | 'database-unavailable'
  | 'empty-body'
  | 'empty-contact'
  | 'forbidden'
  | 'idempotency-key-in-flight'
  | 'idempotency-key-reused'
  | 'interaction-tree-full'
  | 'internal-error'
  | 'key-immutable'
  | 'malformed-body'
  | 'malformed-json'
  | 'mapping-exists'
  | 'mapping-not-found'
  | 'merge-in-progress'
  | 'method-not-allowed'
  | 'not-found'
  | 'not-ready'
  | 'rate-limited'
  | 'request-aborted'
  | 'system-attribute'
  | 'too-many-attributes'
  | 'unauthenticated'
  | 'unique-value-taken'
  | 'unsupported-charset'
  | 'unsupported-encoding'
  | 'unsupported-media-type'
  | 'validation-failed'
  | 'webhook-not-found';

export interface AppErrorOptions {
  status: number;
  errors?: FieldError[];
  /** Extra problem-details members, e.g. the ids of contacts that block a change. */
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error type the API throws on purpose; `code` becomes the problem type. */
export class AppError extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ProblemCode,
    message: string,
    options: AppErrorOptions,
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status;
    this.errors = options.errors;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export function validationError(errors: FieldError[], message = 'The request is not valid.'): AppError {
  return new AppError('validation-failed', message, { status: 400, errors });
}
