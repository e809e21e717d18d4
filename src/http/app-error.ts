export interface FieldError {
  path: string;
  message: string;
}

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
    readonly code: string,
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
