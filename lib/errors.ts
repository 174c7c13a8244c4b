/**
 * Expected failures carry a code; routes turn them into HTTP responses with `toHttpError`.
 * Anything else is a bug and becomes a 500 without leaking details.
 */

export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export interface HttpError {
  status: number;
  body: { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
}

/** Maps any thrown value to a status + JSON body; unknown errors become an opaque 500. */
export function toHttpError(err: unknown): HttpError {
  if (isAppError(err)) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error' } } };
}

/** A JSON Response for `err` (Web API Response, usable from route handlers). */
export function errorResponse(err: unknown): Response {
  const { status, body } = toHttpError(err);
  return Response.json(body, { status });
}
