import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, fmtTime } from '@/components/ui';
import { assertCourseAccess } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { listEnrolledRoster, listLiveAttendance, listLiveUnknownFaces } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { moodShares } from '@/lib/dashboard/class-mood';
import { sessionOver } from '@/lib/dashboard/live-stream-end';
import { getSessionMood } from '@/lib/data/session-mood';
import { clockTime, localDay } from '@/lib/data/sessions';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { AppError } from '@/lib/errors';
import { isCameraOnline } from '@/lib/data/cameras';
import { LastFrame } from '../../cameras/last-frame-client';
import { messagesFor } from '@/lib/i18n/dictionary';
import { statusText } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { ClassMoodChart } from './class-mood-chart';
import { DisputesReview } from './disputes-review';
import { LiveSession } from './live-client';

export const dynamic = 'force-dynamic';

export default async function SessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  const user = await requirePageUser(undefined, `/sessions/${sessionId}`);
  const { lang, t } = await getI18n();
  const { session, course } = await forPage(async () => {
    const found = await getSessionWithCourse(sessionId);
    assertCourseAccess(user, found.course);
    return found;
  });
  const [roster, attendance, unknown, mood, camera] = await Promise.all([
    listEnrolledRoster(course.courseId),
    listLiveAttendance(session.sessionId),
    listLiveUnknownFaces(session.sessionId),
    getSessionMood(session.sessionId),
    // A camera deleted since the session was made shows as none.
    session.cameraId
      ? getCameraOrThrow(session.cameraId).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
          throw err;
        })
      : null,
  ]);
  const cameraName = camera?.name ?? null;
  const now = new Date();
  const running = session.status === 'open' && session.startsAt <= now && session.endsAt > now;
  // Frames show the whole room: admins only (PRIVACY.md, "Who can see it"); a lecturer sees the status.
  const seesFrames = user.role === 'admin';
  const api = `/api/sessions/${session.sessionId}`;
  return (
    <>
      <PageTitle
        actions={
          <div className="flex items-center gap-2">
            <Badge tone={session.status === 'open' ? 'green' : 'slate'}>{statusText(t, session.status)}</Badge>
            {session.status === 'open' ? (
              <ActionButton method="POST" url={`${api}/stop`} label={t('sessions.stopNow')} />
            ) : (
              <ActionButton method="POST" url={`${api}/start`} label={t('sessions.startNow')} variant="primary" />
            )}
          </div>
        }
      >
        {course.code} — {course.courseName}
        <span
          className="block text-base font-normal break-words text-slate-500 sm:ml-2 sm:inline"
          data-testid="session-where"
        >
          {fmtTime(session.startsAt, lang)} – {fmtTime(session.endsAt, lang)} · {t('common.room')}:{' '}
          {session.room ?? '—'} · {t('common.camera')}: {cameraName ?? '—'}
        </span>
      </PageTitle>
      {camera ? (
        <Card title={t('nav.cameras')}>
          <div className="flex flex-wrap items-center gap-4 text-sm" data-testid="session-camera">
            {seesFrames ? (
              <LastFrame
                cameraId={camera.cameraId}
                alt={`${t('cameras.lastFrame')}: ${camera.name}`}
                emptyLabel={t('cameras.noFrame')}
              />
            ) : null}
            <div className="flex min-w-0 flex-col gap-1">
              <span className="font-medium break-words">{camera.name}</span>
              <span>
                <Badge tone={isCameraOnline(camera, now) ? 'green' : 'red'}>
                  {isCameraOnline(camera, now) ? t('overview.online') : t('overview.offline')}
                </Badge>{' '}
                <span className="text-xs text-slate-500">
                  {camera.lastSeenAt ? fmtTime(camera.lastSeenAt, lang) : '—'}
                </span>
              </span>
              {seesFrames ? null : (
                <span className="text-xs text-slate-500" data-testid="frames-admin-only">
                  {t('live.framesAdminOnly')}
                </span>
              )}
            </div>
          </div>
        </Card>
      ) : null}
      <LiveSession
        sessionId={session.sessionId}
        running={running}
        ended={sessionOver(session, now)}
        startsAt={session.startsAt.toISOString()}
        endsAt={session.endsAt.toISOString()}
        roster={roster}
        initial={attendance}
        initialUnknown={unknown}
        messages={messagesFor(lang)}
        lang={lang}
      />
      <DisputesReview sessionId={session.sessionId} lang={lang} t={t} />
      {course.classMood || mood ? (
        <Card title={t('mood.title')}>
          <p className="mb-2 text-sm text-slate-600">{t('mood.help')}</p>
          {mood ? (
            <>
              <ClassMoodChart
                counts={mood}
                labels={{
                  happy: t('mood.happy'),
                  neutral: t('mood.neutral'),
                  tired: t('mood.tired'),
                  other: t('mood.other'),
                }}
              />
              <p className="text-xs text-slate-500">
                {moodShares(mood).sightings} {t('mood.sightings')}
              </p>
              <p className="text-xs text-slate-500" data-testid="class-mood-eyes">
                {t('mood.eyesRead')
                  .replace('{read}', String(mood.eyesRead))
                  .replace('{total}', String(moodShares(mood).sightings))}
              </p>
            </>
          ) : (
            <Empty>{t('mood.none')}</Empty>
          )}
        </Card>
      ) : null}
      <Card title={t('common.save')}>
        <JsonForm
          method="PATCH"
          url={api}
          submitLabel={t('common.save')}
          fields={[
            {
              name: 'startsAt',
              label: t('sessions.starts'),
              type: 'datetime-local',
              as: 'date',
              defaultValue: `${localDay(session.startsAt)}T${clockTime(session.startsAt)}`,
            },
            {
              name: 'endsAt',
              label: t('sessions.ends'),
              type: 'datetime-local',
              as: 'date',
              defaultValue: `${localDay(session.endsAt)}T${clockTime(session.endsAt)}`,
            },
            { name: 'room', label: t('common.room'), defaultValue: session.room ?? '' },
          ]}
        />
      </Card>
    </>
  );
}
