/** `notify add|list|remove`: per-course / per-lecturer notification routes. JSON shapes are the contract (README, Notifications). */
import type { NotificationRouteRow } from '@/db/schema';
import { findCourseByCode } from '@/lib/data/courses';
import {
  createNotificationRoute,
  deleteNotificationRoute,
  listNotificationRoutes,
} from '@/lib/data/notification-routes';
import { findUserByEmail } from '@/lib/data/users';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import {
  assertDeliverableTarget,
  assertMailConfigured,
  createNotificationRouteBody,
  publicRoute,
} from '@/lib/notifications/routes';
import { allowedNotificationHosts } from '@/lib/notifications/target-guard';
import type { ParsedCommand } from './args';

type Result = { json: unknown; text: string };
type Options = ParsedCommand['options'];
const str = (o: Options, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

async function courseIdOrThrow(code: string): Promise<string> {
  const course = await findCourseByCode(code);
  if (!course)
    throw new AppError(
      'NOT_FOUND',
      `Unknown course "${code}" (create it with: courses add --code ${code} --name NAME)`,
    );
  return course.courseId;
}

function routeJson(r: NotificationRouteRow) {
  const p = publicRoute(r);
  return {
    route_id: p.routeId,
    course_id: p.courseId,
    user_id: p.userId,
    channel: p.channel,
    target: p.target,
    secret: p.secret,
    events: p.events,
    enabled: p.enabled,
    digest: p.digest,
    digest_hour: p.digestHour,
    created_at: p.createdAt.toISOString(),
  };
}

const line = (r: ReturnType<typeof routeJson>) =>
  `${r.route_id}  ${r.channel.padEnd(8)} ${r.course_id ? `course ${r.course_id}` : `user ${r.user_id}`}  ${r.target}  [${r.events.join(',')}]${r.digest === 'daily' ? `  daily at ${r.digest_hour}:00` : ''}${r.enabled ? '' : '  (disabled)'}`;

export async function notifyAdd(o: Options): Promise<Result> {
  const parsed = createNotificationRouteBody.safeParse({
    channel: str(o, 'channel'),
    target: str(o, 'target'),
    secret: str(o, 'secret'),
    events: str(o, 'events')
      ?.split(',')
      .map((e) => e.trim()),
    digest: str(o, 'digest'),
    digestHour: str(o, 'digest-hour') === undefined ? undefined : Number(str(o, 'digest-hour')),
  });
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      parsed.error.issues
        .map(
          (i) =>
            `${i.path.length ? `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : ''}${i.message}`,
        )
        .join('; '),
    );
  // The admin CLI may route mail to any address; names still reach only the course's lecturer and admins.
  if (parsed.data.channel === 'email') assertMailConfigured(env().SMTP_HOST);
  await assertDeliverableTarget(parsed.data, allowedNotificationHosts(env().NOTIFY_ALLOWED_HOSTS, []));
  const code = str(o, 'course');
  const email = str(o, 'user');
  let owner: { courseId: string } | { userId: string };
  if (code) owner = { courseId: await courseIdOrThrow(code) };
  else {
    const user = await findUserByEmail(email ?? '');
    if (!user) throw new AppError('NOT_FOUND', `Unknown user "${email}"`);
    owner = { userId: user.userId };
  }
  const json = routeJson(await createNotificationRoute(owner, parsed.data, null));
  return {
    json,
    text: `Added ${json.channel} route ${json.route_id} for ${code ? `course ${code}` : email}: ${json.events.join(', ')}.`,
  };
}

export async function notifyList(o: Options): Promise<Result> {
  const code = str(o, 'course');
  const json = (await listNotificationRoutes(code ? { courseId: await courseIdOrThrow(code) } : {})).map(routeJson);
  return { json, text: json.length ? json.map(line).join('\n') : 'No notification routes (add one with: notify add).' };
}

export async function notifyRemove(o: Options): Promise<Result> {
  const routeId = str(o, 'id') ?? '';
  await deleteNotificationRoute(routeId, undefined, null);
  return { json: { route_id: routeId, removed: true }, text: `Removed notification route ${routeId}.` };
}
