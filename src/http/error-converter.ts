import { isDuplicateKeyError } from '../db/duplicate-key';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { AppError, validationError } from './app-error';

interface BodyParserError {
  type: string;
  status?: number;
}

const bodyParserErrors: Record<string, () => AppError> = {
  'entity.parse.failed': () => new AppError('malformed-json', 'The request body is not valid JSON.', { status: 400 }),
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
  if (isBodyParserError(error) && bodyParserErrors[error.type]) return bodyParserErrors[error.type]();
  if (error instanceof SyntaxError && (error as { status?: number }).status === 400) {
    return bodyParserErrors['entity.parse.failed']();
  }
  if (isDecompressionError(error)) {
    return new AppError('malformed-body', 'The request body could not be decompressed.', { status: 400 });
  }
  if (error instanceof mongoose.Error.CastError) {
    return validationError([{ path: error.path, message: `is not a valid ${error.kind}` }]);
  }
  if (isDuplicateKeyError(error)) {
    return new AppError('conflict', 'The change conflicts with stored data.', { status: 409, cause: error });
  }
  if (error instanceof mongoose.mongo.MongoServerSelectionError || error instanceof mongoose.mongo.MongoNetworkError) {
    return new AppError('database-unavailable', 'The database is not reachable; retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '1' },
      cause: error,
    });
  }
  return new AppError('internal-error', 'An unexpected error occurred.', { status: 500, cause: error });
}

export function fromZodError(error: ZodError, prefix: string[] = []): AppError {
  return validationError(
    error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
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
