import 'server-only';
import { z } from 'zod';
import { USER_ROLES, type SessionRole, type UserRole } from '@/db/schema';
import type { Lang } from '@/lib/i18n/dictionary';
import { parseQuery } from '@/lib/dashboard/query';
import { env } from '@/lib/env';
import { AppError, errorResponse, localized } from '@/lib/errors';
import { readBodyCapped } from '@/lib/http-body';
import { httpRequestDuration, routeTemplate } from '@/lib/http-metrics';
import { requestLang } from '@/lib/i18n/dictionary';
import { createLogger } from '@/lib/log';
import { validationError } from '@/lib/validation';
import type { DeclaredHandler, RouteResponse } from '@/lib/dashboard/route-declaration';
import { requireUser, type UserFor } from './session';

type Schema = z.ZodType | undefined;
type Parsed<T extends Schema, Otherwise> = T extends z.ZodType ? z.infer<T> : Otherwise;
type RawParams = Record<string, string | string[] | undefined>;

interface RouteOptions<
  TBody extends Schema,
  TParams extends Schema,
  TQuery extends Schema,
  TPublic extends boolean,
  TRole extends SessionRole,
> {
  /** One line for the API document. */
  summary?: string;
  /** Roles allowed; omit for "any signed-in staff user" (never a student), or pass `public: true` to skip the check. */
  roles?: readonly TRole[];
  public?: TPublic;
  /** A lecturer may call it only for a course they teach; the handler checks (lib/auth/access), this documents it. */
  ownCourse?: boolean;
  /** JSON body schema; the parsed value is passed to the handler. */
  body?: TBody;
  /** Path parameters (e.g. `pathParams('courseId')`); a missing or malformed one is a 400. */
  params?: TParams;
  /** Query string schema (empty values count as absent); a bad value is a 400 with a sentence per field. */
  query?: TQuery;
  /** A multipart upload's fields, for the API document (the handler reads the form itself). */
  form?: z.ZodType;
  /** What a successful call answers; the role-matrix test checks real answers against it. */
  response?: RouteResponse;
}

interface RouteContext<TBody, TParams, TQuery, TPublic extends boolean, TRole extends SessionRole> {
  req: Request;
  /** The signed-in user; null only on `public` routes. */
  user: TPublic extends true ? null : UserFor<TRole>;
  body: TBody;
  params: TParams;
  query: TQuery;
  /** The caller's language, for sentences in a successful response (e.g. a bulk enrolment summary). */
  lang: Lang;
}

/** Ids in the path, as the dynamic segments name them: non-empty strings of at most 64 characters. */
export function pathParams<const K extends string>(...names: K[]): z.ZodObject<Record<K, z.ZodString>> {
  return z.object(
    Object.fromEntries(
      names.map((n) => [
        n,
        z
          .string({ error: `The ${n} in the address is missing` })
          .min(1)
          .max(64, `The ${n} in the address is too long`),
      ]),
    ) as Record<K, z.ZodString>,
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** No JSON body of this API comes near 1 MB (bulk enrolment of thousands of ids is ~100 kB). */
const MAX_JSON_BYTES = 1_000_000;
const BODY_TYPES = ['application/json', 'multipart/form-data'];

/**
 * CSRF depth for cookie-authenticated changes (SameSite=Lax alone lets a sibling subdomain post):
 * the browser's Origin must be the app's own (NEXTAUTH_URL when set, else the request's), and a
 * body must be JSON or a multipart upload — never the form encodings a foreign page can post.
 * Device routes (`public`) authenticate with their own token and are not checked.
 */
export function assertSameOriginChange(req: Request, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(req.method)) return;
  const expected = new URL(publicUrl ?? req.url).origin;
  const origin = req.headers.get('origin');
  if (origin !== expected)
    throw new AppError(
      'FORBIDDEN',
      `Cross-site request refused: changes must come from ${expected} (Origin was ${origin ?? 'missing'})`,
    );
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // A body travels with Content-Length or Transfer-Encoding. Next.js hands every non-GET request a
  // body stream, so the stream says nothing: a bodiless DELETE from fetch() has neither header.
  const length = req.headers.get('content-length');
  const hasBody = length !== null ? length !== '0' : req.headers.has('transfer-encoding');
  if (hasBody && !BODY_TYPES.includes(type))
    throw new AppError('FORBIDDEN', 'Send changes as application/json (or multipart/form-data for uploads)');
}

/**
 * Wraps a route handler: session/role check, same-origin check on changes, zod parse of the JSON
 * body (a bad field → 400 with a sentence per field in `error.fields`), AppError → HTTP mapping in
 * the caller's language (`lang` cookie, else Accept-Language). The handler stays a few lines.
 * The options stay on the handler as `declaration`, which the API document is built from.
 */
export function route<
  TBody extends Schema = undefined,
  TParams extends Schema = undefined,
  TQuery extends Schema = undefined,
  TPublic extends boolean = false,
  TRole extends SessionRole = UserRole,
>(
  opts: RouteOptions<TBody, TParams, TQuery, TPublic, TRole>,
  handler: (
    ctx: RouteContext<Parsed<TBody, undefined>, Parsed<TParams, RawParams>, Parsed<TQuery, undefined>, TPublic, TRole>,
  ) => Promise<Response>,
): DeclaredHandler {
  const wrapped = async (
    req: Request,
    context?: { params: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> => {
    const started = performance.now();
    const response = await handle(req, context);
    const params = (await context?.params?.catch(() => undefined)) ?? {};
    httpRequestDuration.observe(
      { method: req.method, route: routeTemplate(req.url, params), status: String(response.status) },
      (performance.now() - started) / 1000,
    );
    return response;
  };
  const declaration = {
    summary: opts.summary,
    // No roles: requireUser lets in staff (STAFF_ROLES, every user role), never a student.
    roles: opts.public ? [] : (opts.roles ?? USER_ROLES),
    public: opts.public ?? false,
    ownCourse: opts.ownCourse ?? false,
    params: opts.params,
    query: opts.query,
    body: opts.body,
    form: opts.form,
    response: opts.response,
  };
  return Object.assign(wrapped, { declaration });

  async function handle(
    req: Request,
    context?: { params: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> {
    try {
      const user = opts.public ? null : await requireUser(opts.roles);
      if (!opts.public) assertSameOriginChange(req, env().NEXTAUTH_URL);
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readBodyCapped(req, MAX_JSON_BYTES, 'JSON body');
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('VALIDATION', localized('error.badJson'));
        }
        const parsed = opts.body.safeParse(json);
        if (!parsed.success) throw validationError(parsed.error.issues, json);
        body = parsed.data;
      }
      const raw = (await context?.params) ?? {};
      let params: unknown = raw;
      if (opts.params) {
        const parsed = opts.params.safeParse(raw);
        if (!parsed.success) throw validationError(parsed.error.issues, raw);
        params = parsed.data;
      }
      const query = opts.query ? parseQuery(req, opts.query) : undefined;
      return await handler({
        req,
        user: user as never,
        body: body as never,
        params: params as never,
        query: query as never,
        lang: requestLang(req),
      });
    } catch (err) {
      if (!(err instanceof AppError)) createLogger('api').error({ err, url: req.url }, 'route failed');
      return errorResponse(err, requestLang(req));
    }
  }
}
