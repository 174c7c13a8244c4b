/**
 * Expected failures carry a code; routes turn them into HTTP responses with `toHttpError`.
 * Anything else is a bug and becomes a 500 without leaking details.
 *
 * Messages a person reads (forms, the dashboard) are given as a dictionary key + parameters, so the
 * response is written in the caller's language; `err.message` is the English text (logs, CLI).
 * `fields` holds one sentence per request field (`{ studentNumber: "A student with number S1001
 * already exists." }`); the dashboard's forms show each next to its input.
 */
import { formatMessage, type Lang, type MessageKey, type MessageParams } from '@/lib/i18n/dictionary';

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

/** A sentence from the dictionary, rendered in the reader's language when the response is written. */
export interface Localized {
  key: MessageKey;
  params?: MessageParams;
}

/** Plain text (English, developer-facing) or a dictionary sentence. */
export type ErrorText = string | Localized;

export function localized(key: MessageKey, params?: MessageParams): Localized {
  return params ? { key, params } : { key };
}

export function renderText(text: ErrorText, lang: Lang): string {
  return typeof text === 'string' ? text : formatMessage(lang, text.key, text.params);
}

interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** One sentence per request field (JSON body or query key). */
  fields?: Record<string, ErrorText>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly fields?: Record<string, ErrorText>;
  readonly text: ErrorText;

  constructor(code: ErrorCode, message: ErrorText, options?: AppErrorOptions) {
    super(renderText(message, 'en'), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.text = message;
    this.details = options?.details;
    this.fields = options?.fields && Object.keys(options.fields).length > 0 ? options.fields : undefined;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  messageIn(lang: Lang): string {
    return renderText(this.text, lang);
  }

  fieldsIn(lang: Lang): Record<string, string> | undefined {
    if (!this.fields) return undefined;
    return Object.fromEntries(Object.entries(this.fields).map(([k, v]) => [k, renderText(v, lang)]));
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export interface HttpError {
  status: number;
  body: {
    error: { code: ErrorCode; message: string; fields?: Record<string, string>; details?: Record<string, unknown> };
  };
}

/** Maps any thrown value to a status + JSON body in `lang`; unknown errors become an opaque 500. */
export function toHttpError(err: unknown, lang: Lang = 'en'): HttpError {
  if (isAppError(err)) {
    const fields = err.fieldsIn(lang);
    return {
      status: err.status,
      body: {
        error: {
          code: err.code,
          message: err.messageIn(lang),
          ...(fields ? { fields } : {}),
          ...(err.details ? { details: err.details } : {}),
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: lang === 'id' ? 'Terjadi kesalahan di server' : 'Internal server error' },
    },
  };
}

/** A JSON Response for `err` (Web API Response, usable from route handlers). */
export function errorResponse(err: unknown, lang: Lang = 'en'): Response {
  const { status, body } = toHttpError(err, lang);
  return Response.json(body, { status });
}
