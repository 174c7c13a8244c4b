/**
 * A camera problem in words an admin can act on. The transport reports failures as short technical
 * lines ("connection refused by http://…", "… answered HTTP 404"); this maps them to a kind with a
 * sentence in the dashboard's dictionary (`cameraError.<kind>`), keeping the raw line (credentials
 * stripped) as the detail.
 */
import { messagesFor, type MessageKey } from '@/lib/i18n/dictionary';
import { redactCredentials } from './redact';

export const CAMERA_ERROR_KINDS = [
  'refused',
  'timeout',
  'dns',
  'unreachable',
  'auth',
  'not-found',
  'http',
  'not-mjpeg',
  'not-image',
  'stalled',
  'ended',
  'reset',
  'bad-url',
  'other',
] as const;
export type CameraErrorKind = (typeof CAMERA_ERROR_KINDS)[number];

export interface CameraErrorWords {
  kind: CameraErrorKind;
  /** The English sentence (logs, API clients); the dashboard shows `cameraError.<kind>` in its language. */
  message: string;
  /** The raw line, credentials replaced by ***. */
  detail: string;
  httpStatus?: number;
}

/** The dictionary key of a kind; a kind without both an English and an Indonesian sentence does not compile. */
export function cameraErrorKey(kind: CameraErrorKind): `cameraError.${CameraErrorKind}` & MessageKey {
  return `cameraError.${kind}`;
}

const RULES: Array<[RegExp, CameraErrorKind]> = [
  [/connection refused|ECONNREFUSED/i, 'refused'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, 'dns'],
  [/EHOSTUNREACH|ENETUNREACH|EHOSTDOWN/i, 'unreachable'],
  [/timed out|ETIMEDOUT|no response from .* within|timeout/i, 'timeout'],
  [/HTTP 40[13]\b/, 'auth'],
  [/HTTP 404\b/, 'not-found'],
  [/answered HTTP \d+/, 'http'],
  [/not multipart/i, 'not-mjpeg'],
  [/not a JPEG|not-image|Content-Type .* not image/i, 'not-image'],
  [/no frame for \d+ ms|stalled/i, 'stalled'],
  [/stream ended/i, 'ended'],
  [/ECONNRESET|socket hang up|EPIPE/i, 'reset'],
  [/unsupported protocol|not a URL|invalid-url/i, 'bad-url'],
];

/** The kind and words of a camera error line (or of a transport failure code plus its message). */
export function describeCameraError(raw: string, code?: string): CameraErrorWords {
  const detail = redactCredentials(raw);
  const byCode: Partial<Record<string, CameraErrorKind>> = {
    'connection-refused': 'refused',
    timeout: 'timeout',
    'not-multipart': 'not-mjpeg',
    'not-image': 'not-image',
    'invalid-url': 'bad-url',
    stalled: 'stalled',
    ended: 'ended',
  };
  const kind = (code && byCode[code]) || RULES.find(([re]) => re.test(raw))?.[1] || 'other';
  const status = /HTTP (\d{3})\b/.exec(raw);
  const httpStatus = status ? Number(status[1]) : undefined;
  const sentence = messagesFor('en')[cameraErrorKey(kind)];
  const message = kind === 'http' && httpStatus ? `${sentence} (HTTP ${httpStatus})` : sentence;
  return { kind, message, detail, ...(httpStatus ? { httpStatus } : {}) };
}
