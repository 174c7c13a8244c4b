import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, fmtTime } from '@/components/ui';
import { assertCourseAccess } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { listEnrolledRoster, listLiveAttendance, listUnknownFaces } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { moodShares } from '@/lib/dashboard/class-mood';
import { getSessionMood } from '@/lib/data/session-mood';
import { clockTime, localDay } from '@/lib/data/sessions';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { AppError } from '@/lib/errors';
import { isCameraOnline } from '@/lib/data/cameras';
import { LastFrame } from '../../cameras/last-frame-client';
import { messagesFor } from '@/lib/i18n/dictionary';
import { statusText } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { AssignUnknown } from './assign-unknown-client';
import { ClassMoodChart } from './class-mood-chart';
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
    listUnknownFaces(session.sessionId),
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
        <span className="ml-2 text-base font-normal text-slate-500" data-testid="session-where">
          {fmtTime(session.startsAt, lang)} – {fmtTime(session.endsAt, lang)} · {t('common.room')}:{' '}
          {session.room ?? '—'} · {t('common.camera')}: {cameraName ?? '—'}
        </span>
      </PageTitle>
      {camera ? (
        <Card title={t('nav.cameras')}>
          <div className="flex items-center gap-4 text-sm" data-testid="session-camera">
            <LastFrame
              cameraId={camera.cameraId}
              alt={`${t('cameras.lastFrame')}: ${camera.name}`}
              emptyLabel={t('cameras.noFrame')}
            />
            <div className="flex flex-col gap-1">
              <span className="font-medium">{camera.name}</span>
              <span>
                <Badge tone={isCameraOnline(camera, now) ? 'green' : 'red'}>
                  {isCameraOnline(camera, now) ? t('overview.online') : t('overview.offline')}
                </Badge>{' '}
                <span className="text-xs text-slate-500">
                  {camera.lastSeenAt ? fmtTime(camera.lastSeenAt, lang) : '—'}
                </span>
              </span>
            </div>
          </div>
        </Card>
      ) : null}
      <LiveSession
        sessionId={session.sessionId}
        running={running}
        startsAt={session.startsAt.toISOString()}
        endsAt={session.endsAt.toISOString()}
        roster={roster}
        initial={attendance}
        messages={messagesFor(lang)}
        lang={lang}
      />
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
      <Card title={t('live.unknownFaces')}>
        {unknown.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-3" data-testid="unknown-faces">
            {unknown.map((u) => (
              <li key={u.unknownId} className="flex gap-3 rounded-md border border-slate-200 p-2 text-sm">
                {/* A plain img: the crop is authenticated and uncached; next/image would proxy and cache it. */}
                <img
                  src={`/api/unknown-faces/${u.unknownId}/image`}
                  alt={t('live.unknownFaces')}
                  width={80}
                  height={80}
                  className="h-20 w-20 rounded object-cover"
                />
                <div className="flex flex-1 flex-col gap-1">
                  <span>
                    {fmtTime(u.seenAt, lang)} · {u.cameraName ?? '—'}
                  </span>
                  {u.kind === 'suspected_spoof' ? (
                    <span
                      className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
                      data-testid="suspected-spoof"
                    >
                      ⚠ {t('live.suspectedSpoof')} {roster.find((r) => r.studentId === u.matchedStudentId)?.name ?? '—'}
                      {u.livenessScore !== null ? ` (liveness ${u.livenessScore.toFixed(2)})` : ''}
                    </span>
                  ) : null}
                  {u.reviewed ? (
                    <Badge>
                      {u.studentId
                        ? (roster.find((r) => r.studentId === u.studentId)?.name ?? t('live.reviewed'))
                        : t('live.reviewed')}
                    </Badge>
                  ) : u.kind === 'suspected_spoof' ? (
                    <div className="flex gap-1">
                      <ActionButton
                        method="POST"
                        url={`${api}/unknown/${u.unknownId}/liveness`}
                        body={{ verdict: 'real' }}
                        label={t('live.wasReal')}
                      />
                      <ActionButton
                        method="POST"
                        url={`${api}/unknown/${u.unknownId}/liveness`}
                        body={{ verdict: 'spoof' }}
                        label={t('live.wasSpoof')}
                        confirmText={t('live.spoofConfirm')}
                        variant="danger"
                      />
                    </div>
                  ) : (
                    <>
                      <AssignUnknown
                        unknownId={u.unknownId}
                        roster={roster}
                        labels={{
                          thisIs: t('live.thisIs'),
                          choose: t('live.chooseStudent'),
                          alsoPresent: t('live.alsoPresent'),
                        }}
                      />
                      <ActionButton
                        method="PATCH"
                        url={`${api}/unknown/${u.unknownId}`}
                        body={{ studentId: null }}
                        label={`✓ ${t('live.reviewed')}`}
                      />
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
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
