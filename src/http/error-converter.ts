import { isDuplicateKeyError } from '../db/duplicate-key';
import { LockLostError, LockTimeoutError } from '../db/lock-errors';
import { isPostgresUnavailable } from '../db/postgres-unavailable';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { AppError, validationError } from './app-error';

interface BodyParserError {
  type: string;
  status?: number;
  message: string;
  /** The text that failed to parse. */
  body?: string;
}

const bodyParserErrors: Record<string, (error: BodyParserError) => AppError> = {
  'entity.parse.failed': (error) => malformedJson(error),
  'entity.too.large': () => new AppError('body-too-large', 'The request body is larger than allowed.', { status: 413 }),
  'encoding.unsupported': () =>
    new AppError('unsupported-encoding', 'The request body encoding is not supported.', { status: 415 }),
  'charset.unsupported': () =>
    new AppError('unsupported-charset', 'The request body charset is not supported; send UTF-8.', { status: 415 }),
  'request.aborted': () => new AppError('request-aborted', 'The request was aborted.', { status: 400 }),
  'request.size.invalid': () => new AppError('malformed-body', 'The request body size is wrong.', { status: 400 }),
};

/** Maps anything thrown while serving a request to an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  if (isBodyParserError(error) && bodyParserErrors[error.type]) return bodyParserErrors[error.type](error);
  if (error instanceof SyntaxError && (error as { status?: number }).status === 400) return malformedJson(error);
  if (isDecompressionError(error)) {
    return new AppError('malformed-body', 'The request body could not be decompressed.', { status: 400 });
  }
  if (error instanceof mongoose.Error.CastError) {
    return validationError([{ path: error.path, message: `is not a valid ${error.kind}` }]);
  }
  if (error instanceof LockTimeoutError) return busy('The resource is busy; retry shortly.', error);
  if (error instanceof LockLostError) {
    return busy('Another writer took over the resource while this request changed it; read it again and retry.', error);
  }
  if (isDuplicateKeyError(error)) {
    return new AppError('conflict', 'The change conflicts with stored data.', { status: 409, cause: error });
  }
  if (
    error instanceof mongoose.mongo.MongoServerSelectionError ||
    error instanceof mongoose.mongo.MongoNetworkError ||
    isPostgresUnavailable(error)
  ) {
    return new AppError('database-unavailable', 'The database is not reachable; retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '1' },
      cause: error,
    });
  }
  return new AppError('internal-error', 'An unexpected error occurred.', { status: 500, cause: error });
}

/** A lock another writer holds, or took over: the same request succeeds once it is free. */
function busy(message: string, cause: Error): AppError {
  return new AppError('busy', message, { status: 503, headers: { 'Retry-After': '1' }, cause });
}

export function fromZodError(error: ZodError, prefix: string[] = []): AppError {
  return validationError(
    error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/**
 * Where the JSON breaks, as line and column. JSON.parse's own message is not passed on: it can quote the body,
 * which may hold personal data, and problem details are logged.
 */
function malformedJson(error: { message: string; body?: string }): AppError {
  const position = Number(/at position (\d+)/.exec(error.message)?.[1]);
  const text = error.body ?? '';
  if (!Number.isInteger(position) || position > text.length) {
    return new AppError('malformed-json', 'The request body is not valid JSON.', { status: 400 });
  }
  const before = text.slice(0, position).split('\n');
  const [line, column] = [before.length, before[before.length - 1].length + 1];
  return new AppError(
    'malformed-json',
    `The request body is not valid JSON: it breaks at line ${line}, column ${column} (character ${position + 1}).`,
    { status: 400, details: { line, column } },
  );
}

/** body-parser passes a corrupt gzip, deflate or brotli body on as the zlib error, untyped, with status 400. */
function isDecompressionError(error: unknown): boolean {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  return status === 400 && typeof code === 'string' && /^(Z_|ERR__ERROR_)/.test(code);
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string';
}
