import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, fmtTime } from '@/components/ui';
import { assertCourseAccess } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { listEnrolledRoster, listLiveAttendance, listUnknownFaces } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { messagesFor } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
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
  const [roster, attendance, unknown] = await Promise.all([listEnrolledRoster(course.courseId), listLiveAttendance(session.sessionId), listUnknownFaces(session.sessionId)]);
  const api = `/api/sessions/${session.sessionId}`;
  return (
    <>
      <PageTitle
        actions={
          <div className="flex items-center gap-2">
            <Badge tone={session.status === 'open' ? 'green' : 'slate'}>{session.status}</Badge>
            {session.status === 'open' ? <ActionButton method="POST" url={`${api}/stop`} label={t('sessions.stopNow')} /> : <ActionButton method="POST" url={`${api}/start`} label={t('sessions.startNow')} variant="primary" />}
          </div>
        }
      >
        {course.code} — {course.courseName}
        <span className="ml-2 text-base font-normal text-slate-500">
          {fmtTime(session.startsAt)} – {fmtTime(session.endsAt)} {session.room ?? ''}
        </span>
      </PageTitle>
      <LiveSession sessionId={session.sessionId} startsAt={session.startsAt.toISOString()} roster={roster} initial={attendance} messages={messagesFor(lang)} />
      <Card title={t('live.unknownFaces')}>
        {unknown.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-3" data-testid="unknown-faces">
            {unknown.map((u) => (
              <li key={u.unknownId} className="flex items-center justify-between rounded-md border border-slate-200 px-3 py-2 text-sm">
                <span>
                  {fmtTime(u.seenAt)} · {u.cameraName ?? '—'}
                </span>
                {u.reviewed ? <Badge>reviewed</Badge> : <ActionButton method="PATCH" url={`${api}/unknown/${u.unknownId}`} body={{ studentId: null }} label="✓ reviewed" />}
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
            { name: 'startsAt', label: t('sessions.starts'), type: 'datetime-local', as: 'date' },
            { name: 'endsAt', label: t('sessions.ends'), type: 'datetime-local', as: 'date' },
            { name: 'room', label: t('common.room'), defaultValue: session.room ?? '' },
          ]}
        />
      </Card>
    </>
  );
}
