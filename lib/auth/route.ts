import 'server-only';
import type { z } from 'zod';
import type { UserRole } from '@/db/schema';
import { AppError, errorResponse } from '@/lib/errors';
import { httpRequestDuration, routeLabel } from '@/lib/http-metrics';
import { createLogger } from '@/lib/log';
import { requireUser, type SessionUser } from './session';

interface RouteOptions<TBody extends z.ZodType | undefined> {
  /** Roles allowed; omit for "any signed-in user", or pass `public: true` to skip the check. */
  roles?: readonly UserRole[];
  public?: boolean;
  /** JSON body schema; the parsed value is passed to the handler. */
  body?: TBody;
}

interface RouteContext<TBody> {
  req: Request;
  user: SessionUser | null;
  body: TBody;
  params: Record<string, string | string[] | undefined>;
}

/**
 * Wraps a route handler: session/role check, zod parse of the JSON body, AppError → HTTP mapping.
 * The handler body stays a few lines that call lib/.
 */
export function route<TBody extends z.ZodType | undefined = undefined>(
  opts: RouteOptions<TBody>,
  handler: (ctx: RouteContext<TBody extends z.ZodType ? z.infer<TBody> : undefined>) => Promise<Response>,
) {
  return async (req: Request, context: { params: Promise<Record<string, string | string[] | undefined>> }): Promise<Response> => {
    const started = performance.now();
    const response = await handle(req, context);
    httpRequestDuration.observe({ method: req.method, route: routeLabel(req.url), status: String(response.status) }, (performance.now() - started) / 1000);
    return response;
  };

  async function handle(req: Request, context: { params: Promise<Record<string, string | string[] | undefined>> }): Promise<Response> {
    try {
      const user = opts.public ? null : await requireUser(opts.roles);
      let body: unknown = undefined;
      if (opts.body) {
        const json = await req.json().catch(() => {
          throw new AppError('VALIDATION', 'Body must be JSON');
        });
        const parsed = opts.body.safeParse(json);
        if (!parsed.success) {
          throw new AppError('VALIDATION', 'Invalid request body', { details: { issues: parsed.error.issues } });
        }
        body = parsed.data;
      }
      const params = (await context?.params) ?? {};
      return await handler({ req, user, body: body as never, params });
    } catch (err) {
      if (!(err instanceof AppError)) createLogger('api').error({ err, url: req.url }, 'route failed');
      return errorResponse(err);
    }
  }
}
