import { createHmac, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  DEFAULT_MATCHER,
  DETECTOR_NAMES,
  EMBEDDER_NAMES,
  MATCHER_KINDS,
} from '@/lib/engine-names';

/**
 * Every setting the web app, worker and scripts read, validated once.
 * A wrong value fails fast with a message naming the variable.
 * Legacy names from the original deployment's `.env` are mapped in `applyLegacyNames`.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Python-style level names used by the original deployment.
const LEGACY_LOG_LEVELS: Record<string, (typeof LOG_LEVELS)[number]> = {
  warning: 'warn',
  critical: 'fatal',
  notset: 'trace',
};

/**
 * Smallest face width (px) a camera frame is searched for (CAMERA_MIN_FACE_SIZE): an ESP32-CAM at
 * 640×480 sees a face ~74/d px wide at d metres, so 20 px reaches the back of a ~4 m deep classroom.
 */
export const DEFAULT_CAMERA_MIN_FACE_SIZE = 20;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z.string().trim().min(1).optional();
const commaList = z
  .string()
  .transform((v) => [
    ...new Set(
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .default([]);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .url({
      protocol: /^(mysql|mariadb)$/,
      error: 'must be a mysql:// URL, e.g. mysql://root@127.0.0.1:3306/attendance',
    })
    .default('mysql://root@127.0.0.1:3306/attendance'),
  DB_POOL_SIZE: intIn(1, 200).default(10),
  LOG_LEVEL: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .transform((v) => LEGACY_LOG_LEVELS[v] ?? v)
    .pipe(z.enum(LOG_LEVELS))
    .default('info'),
  PORT: intIn(1, 65535).default(3000),
  WORKER_PORT: intIn(1, 65535).default(9464),
  /** Address the worker's HTTP server binds: loopback by default; 0.0.0.0 (or an interface address) when the web app runs on another host or container. */
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the web app hands pushed frames to the worker; default http://127.0.0.1:$WORKER_PORT. */
  WORKER_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** This worker's name in the workers table and the camera leases; default hostname:WORKER_PORT. Unique per worker. */
  WORKER_ID: z.string().trim().min(1).max(128).optional(),
  /** Where the web app reaches this worker; default http://<WORKER_HOST, or the hostname when it binds 0.0.0.0>:WORKER_PORT. */
  WORKER_INTERNAL_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Most cameras this worker ever takes; below it, its measured load decides (lib/recognition/worker-load.ts). */
  WORKER_CAPACITY: intIn(1, 10_000).default(100),
  /** Face-engine threads of the worker; default one per core. Lower it when several workers share one machine. */
  FACE_ENGINE_THREADS: intIn(1, 256).optional(),
  /** Seconds a camera lease lasts without renewal (renewed every third of it): a dead worker's cameras move within about this. */
  LEASE_TTL_SECONDS: intIn(2, 300).default(15),
  /** Shared secret on web → worker calls (`x-internal-token`); default derived from AUTH_SECRET. */
  INTERNAL_TOKEN: z.string().min(16, 'must be at least 16 characters (try: openssl rand -base64 32)').optional(),
  AUTH_SECRET: z.string().min(16, 'must be at least 16 characters (try: openssl rand -base64 32)').optional(),
  /** Bearer token of the web app's GET /api/metrics (Prometheus); unset = that endpoint is off. Its own token: it opens nothing else. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (try: openssl rand -base64 32)').optional(),
  NEXTAUTH_URL: z.url().optional(),
  /**
   * Reverse proxies in front of the web app that each append the address they received from to
   * X-Forwarded-For. The sign-in limit takes the client IP that many hops from the right of that header
   * (the socket's address when 0, the default: a client's own X-Forwarded-For is then ignored).
   */
  TRUSTED_PROXIES: intIn(0, 10).default(0),
  /**
   * Photos, unknown-face crops, local backups. Resolved once to an absolute path (relative to the
   * working directory); refused inside a `.next` build folder, which every rebuild deletes.
   */
  DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .transform((p) => path.resolve(p))
    .refine((p) => !p.split(path.sep).includes('.next'), {
      message:
        'is inside the build output (.next), which every rebuild deletes with the photos in it; set DATA_DIR to an absolute path outside it (npm start uses <repo>/data)',
    }),
  MATCHER: z.enum(MATCHER_KINDS).default(DEFAULT_MATCHER),
  /** Embedder behind MATCHER=embedding; templates of another embedder are rebuilt from the stored photos. */
  FACE_EMBEDDER: z.enum(EMBEDDER_NAMES).default(DEFAULT_EMBEDDER),
  FACE_DETECTOR: z.enum(DETECTOR_NAMES).default(DEFAULT_DETECTOR),
  MIN_MATCH_COUNT: intIn(1, 1000).default(10),
  MATCH_THRESHOLD: z.coerce.number().min(0).max(10).optional(),
  CAMERA_URL: z.url().optional(),
  PUSH_MAX_BYTES: intIn(1_000, 50_000_000).default(2_000_000),
  PUSH_MAX_FPS: z.coerce.number().positive().max(60).default(5),
  ATTENDANCE_EARLY_MINUTES: intIn(0, 240).default(15),
  ATTENDANCE_LATE_MINUTES: intIn(0, 240).default(10),
  /** Days unknown-face crops and embeddings are kept for review before the worker purges them. */
  UNKNOWN_RETENTION_DAYS: intIn(1, 3650).default(30),
  /** Smallest face width (px) the worker's detector looks for with a tiled scan; 0 scans whole frames only (fastest, faces ≥ ~32 px in VGA). */
  CAMERA_MIN_FACE_SIZE: intIn(0, 2000).default(DEFAULT_CAMERA_MIN_FACE_SIZE),
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  S3_PREFIX: z.string().default(''),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** Hours between the worker's face-feature backups; 0 turns scheduled backups off. */
  BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(0),
  /** Complete backups kept; older ones (and the biometrics in them) are deleted on each rotation. */
  BACKUP_KEEP: intIn(1, 1000).default(14),
  /** Encrypts backups at rest (AES-256-GCM, key derived with scrypt); keep it safe: a backup cannot be restored without it. */
  BACKUP_KEY: z.string().min(16, 'must be at least 16 characters (try: openssl rand -base64 32)').optional(),
  /** Generic webhook: JSON POST signed with `X-Signature: sha256=<hmac of the body>`. */
  NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  NOTIFY_SLACK_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Pasted into the Bot API path, so only the token's own shape passes (no `/`, `?`, `..`). */
  NOTIFY_TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(
      /^\d+:[A-Za-z0-9_-]{30,}$/,
      'must be a bot token like 123456789:AAE… (digits, a colon, 30+ letters, digits, _ or -)',
    )
    .optional(),
  NOTIFY_TELEGRAM_CHAT_ID: optionalString,
  /** Telegram Bot API base; a local server in tests, a proxy where api.telegram.org is blocked. */
  TELEGRAM_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Also send a message for every arrival (chatty: one per student per session). */
  NOTIFY_ARRIVALS: bool.default(false),
  /** Comma-separated hosts notifications may reach although they resolve to internal addresses (your own receivers); lecturers may also target them. */
  NOTIFY_ALLOWED_HOSTS: optionalString,
  /**
   * IANA time zone of the campus: timetables turn "Monday 09:00" into instants with it. Default: the
   * server's own zone (TZ), which is also what session dates were taken in before this setting.
   */
  CAMPUS_TIMEZONE: z
    .string()
    .trim()
    .min(1)
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Jakarta or Europe/Berlin' })
    .default(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
  /** SMTP server for e-mail notification routes; unset: e-mail routes cannot be added and are skipped. */
  SMTP_HOST: optionalString,
  /** Default 587 (submission, STARTTLS), or 465 with SMTP_SECURE=true. */
  SMTP_PORT: intIn(1, 65535).optional(),
  /** Implicit TLS from the first byte (port 465). False: plain connect, then STARTTLS. */
  SMTP_SECURE: bool.default(false),
  /** Refuse to send unless STARTTLS succeeds (ignored with SMTP_SECURE). False only for a relay on localhost or a trusted LAN. */
  SMTP_REQUIRE_TLS: bool.default(true),
  SMTP_USER: optionalString,
  SMTP_PASSWORD: optionalString,
  /** The From address, e.g. `Attendance <attendance@campus.example>`; required with SMTP_HOST. */
  SMTP_FROM: optionalString,
  /** A camera unseen for this many minutes is reported offline (once, until it is back). */
  CAMERA_OFFLINE_MINUTES: intIn(1, 1440).default(5),
  /** Seconds between the worker's checks for sessions closed and cameras gone offline. */
  NOTIFY_CHECK_SECONDS: intIn(1, 3600).default(30),
  /** Campus single sign-on (OpenID Connect): the issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** Scopes asked for; must include openid. Add the one that releases the role claim when the IdP needs it (e.g. groups). */
  OIDC_SCOPES: z
    .string()
    .trim()
    .transform((v) => v.split(/\s+/).filter(Boolean).join(' '))
    .refine((v) => v.split(' ').includes('openid'), { message: 'must include openid, e.g. "openid email profile"' })
    .default('openid email profile'),
  /** The login button's label: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().trim().min(1).max(60).default('Campus'),
  /** Claim holding the user's groups or roles (e.g. groups, roles; a dotted path such as realm_access.roles). */
  OIDC_ROLE_CLAIM: z
    .string()
    .trim()
    .regex(/^[\w:/-]+(\.[\w:/-]+)*$/, 'must be a claim name or a dotted path such as realm_access.roles')
    .optional(),
  /** Comma-separated values of OIDC_ROLE_CLAIM that make a user admin. */
  OIDC_ADMIN_VALUES: commaList,
  /** Comma-separated values of OIDC_ROLE_CLAIM that make a user lecturer. */
  OIDC_LECTURER_VALUES: commaList,
  /**
   * Comma-separated values of OIDC_ROLE_CLAIM that make a person a student (signed in to their own page,
   * /me). Unset: anyone with no staff role and no user account who links to a student row is a student.
   */
  OIDC_STUDENT_VALUES: commaList,
  /** Claim holding the student number that links a student to their row (e.g. student_number); unset: the e-mail claim links. */
  OIDC_STUDENT_NUMBER_CLAIM: z
    .string()
    .trim()
    .regex(/^[\w:/-]+(\.[\w:/-]+)*$/, 'must be a claim name or a dotted path such as ext.student_number')
    .optional(),
  /** all: every user may sign in with a password; admins: only admins (break-glass), everyone else through OIDC. */
  LOCAL_PASSWORDS: z.enum(['all', 'admins']).default('all'),
});

export type Env = z.infer<typeof schema> & {
  AUTH_SECRET: string;
  authSecretGenerated: boolean;
  WORKER_URL: string;
  /** WORKER_URL was set: the web app sends every camera's frames there (one worker) instead of to the camera's lease holder. */
  workerUrlFixed: boolean;
  WORKER_ID: string;
  WORKER_INTERNAL_URL: string;
  INTERNAL_TOKEN: string;
};
type Source = Record<string, string | undefined>;

/** Prefixes we own: an unknown key with one of them is almost certainly a typo. */
const OWNED_PREFIXES = ['DB_', 'ATTENDANCE_', 'PUSH_', 'S3_', 'BACKUP_', 'NOTIFY_', 'SMTP_', 'OIDC_'];
const LEGACY_DB_KEYS = ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASS', 'DB_NAME'] as const;

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Maps the original deployment's DB_* variables onto DATABASE_URL (DATABASE_URL wins if both are set). */
export function applyLegacyNames(source: Source): { values: Source; notes: string[] } {
  const values: Source = {};
  const notes: string[] = [];
  for (const [k, v] of Object.entries(source)) {
    // Empty strings mean "unset" (docker-compose passes `FOO=` through).
    if (v !== undefined && v !== '') values[k] = v;
  }
  values.AUTH_SECRET ??= values.NEXTAUTH_SECRET;
  delete values.NEXTAUTH_SECRET;

  const legacy = LEGACY_DB_KEYS.filter((k) => values[k] !== undefined);
  if (legacy.length > 0) {
    if (values.DATABASE_URL) {
      notes.push(`ignoring ${legacy.join(', ')} because DATABASE_URL is set`);
    } else {
      const user = encodeURIComponent(values.DB_USER ?? 'root');
      const pass = values.DB_PASS ? `:${encodeURIComponent(values.DB_PASS)}` : '';
      const host = values.DB_HOST ?? '127.0.0.1';
      const port = values.DB_PORT ?? '3306';
      if (!/^\d+$/.test(port)) throw new EnvError([`DB_PORT: must be a number, got "${port}"`]);
      const name = encodeURIComponent(values.DB_NAME ?? 'attendance');
      values.DATABASE_URL = `mysql://${user}${pass}@${host}:${port}/${name}`;
      notes.push(`DATABASE_URL built from legacy ${legacy.join(', ')}`);
    }
    for (const k of legacy) delete values[k];
  }
  return { values, notes };
}

const SECRET_KEYS = new Set([
  'AUTH_SECRET',
  'INTERNAL_TOKEN',
  'METRICS_TOKEN',
  'BACKUP_KEY',
  'NOTIFY_WEBHOOK_SECRET',
  'NOTIFY_TELEGRAM_BOT_TOKEN',
  'SMTP_PASSWORD',
  'OIDC_CLIENT_SECRET',
]);

/** Settings that only make sense together. */
function pairIssues(v: Source): string[] {
  const issues: string[] = [];
  if (v.NOTIFY_WEBHOOK_URL && !v.NOTIFY_WEBHOOK_SECRET)
    issues.push('NOTIFY_WEBHOOK_SECRET: required when NOTIFY_WEBHOOK_URL is set (receivers verify the signature)');
  if (Boolean(v.NOTIFY_TELEGRAM_BOT_TOKEN) !== Boolean(v.NOTIFY_TELEGRAM_CHAT_ID))
    issues.push('NOTIFY_TELEGRAM_BOT_TOKEN and NOTIFY_TELEGRAM_CHAT_ID: set both or neither');
  const oidc = [v.OIDC_ISSUER, v.OIDC_CLIENT_ID, v.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3)
    issues.push('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three or none');
  if ((v.OIDC_ADMIN_VALUES || v.OIDC_LECTURER_VALUES || v.OIDC_STUDENT_VALUES) && !v.OIDC_ROLE_CLAIM)
    issues.push(
      'OIDC_ROLE_CLAIM: required when OIDC_ADMIN_VALUES, OIDC_LECTURER_VALUES or OIDC_STUDENT_VALUES is set (which claim holds them)',
    );
  if (v.LOCAL_PASSWORDS === 'admins' && oidc !== 3)
    issues.push(
      'LOCAL_PASSWORDS: "admins" needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (else only admins could sign in)',
    );
  if (v.SMTP_HOST && !v.SMTP_FROM)
    issues.push('SMTP_FROM: required when SMTP_HOST is set (the address notification e-mails come from)');
  if (Boolean(v.SMTP_USER) !== Boolean(v.SMTP_PASSWORD))
    issues.push('SMTP_USER and SMTP_PASSWORD: set both or neither');
  return issues;
}

/** The offending value for the error message, never a secret. */
function shown(key: string, value: string | undefined): string {
  if (value === undefined || SECRET_KEYS.has(key)) return '';
  const safe = key === 'DATABASE_URL' ? value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@') : value;
  return ` (got "${safe}")`;
}

/** Parses and validates settings from `source`. Pure apart from generating a dev auth secret. */
export function loadEnv(source: Source = process.env): Env {
  const { values } = applyLegacyNames(source);
  const known = new Set(Object.keys(schema.shape));
  const unknown = Object.keys(values).filter((k) => OWNED_PREFIXES.some((p) => k.startsWith(p)) && !known.has(k));
  const picked: Source = {};
  for (const k of known) picked[k] = values[k];

  const result = schema.safeParse(picked);
  const issues = unknown.map((k) => `${k}: unknown setting (see the configuration table in README.md)`);
  issues.push(...pairIssues(picked));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '?');
      issues.push(`${key}: ${issue.message}${shown(key, picked[key])}`);
    }
  }
  if (!result.success || issues.length > 0) throw new EnvError(issues);

  const data = result.data;
  const authSecret = data.AUTH_SECRET ?? randomBytes(32).toString('base64url');
  return {
    ...data,
    AUTH_SECRET: authSecret,
    authSecretGenerated: !data.AUTH_SECRET,
    WORKER_URL: (data.WORKER_URL ?? `http://127.0.0.1:${data.WORKER_PORT}`).replace(/\/+$/, ''),
    workerUrlFixed: data.WORKER_URL !== undefined,
    WORKER_ID: data.WORKER_ID ?? `${os.hostname()}:${data.WORKER_PORT}`,
    WORKER_INTERNAL_URL: (
      data.WORKER_INTERNAL_URL ?? `http://${advertisedHost(data.WORKER_HOST)}:${data.WORKER_PORT}`
    ).replace(/\/+$/, ''),
    // Web and worker read the same AUTH_SECRET (.env.local), so they derive the same token without another setting.
    INTERNAL_TOKEN:
      data.INTERNAL_TOKEN ?? createHmac('sha256', authSecret).update('internal-token').digest('base64url'),
  };
}

/** A bind-all address is not reachable as such: other hosts (compose services) reach us by hostname. */
function advertisedHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return os.hostname();
  return bind.includes(':') ? `[${bind}]` : bind;
}

/**
 * The web app calls this before signing anyone in: in production a generated secret would log
 * everyone out on restart (and differ between replicas), so it must be configured.
 * `next build` is exempt because it never signs anyone in.
 */
export function assertAuthSecret(settings: Env, source: Source = process.env): void {
  const building = source.NEXT_PHASE === 'phase-production-build';
  if (settings.authSecretGenerated && settings.NODE_ENV === 'production' && !building) {
    throw new EnvError([
      'AUTH_SECRET: required in production (set AUTH_SECRET or NEXTAUTH_SECRET; `npm run setup` writes one to .env.local)',
    ]);
  }
}

let cached: Env | undefined;

/** The validated settings for this process (parsed on first use). */
export function env(): Env {
  cached ??= loadEnv(process.env);
  return cached;
}

/** For tests: forget the cached settings. */
export function resetEnvCache(): void {
  cached = undefined;
}
