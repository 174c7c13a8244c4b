import Link from 'next/link';
import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { assertCourseAccess } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { listLecturers } from '@/lib/data/course-admin';
import { getCourseOrThrow, listEnrolledStudents } from '@/lib/data/courses';
import { listCameraStates } from '@/lib/data/overview';
import { listSessionsOfCourse } from '@/lib/data/session-admin';
import { listTimetables } from '@/lib/data/timetables';
import { env } from '@/lib/env';
import { messagesFor } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { Timetables } from './timetable-client';

export const dynamic = 'force-dynamic';

export default async function CoursePage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const user = await requirePageUser(undefined, `/courses/${courseId}`);
  const { lang, t } = await getI18n();
  const course = await forPage(async () => {
    const c = await getCourseOrThrow(courseId);
    assertCourseAccess(user, c);
    return c;
  });
  const [students, sessions, lecturers, timetables, cameras] = await Promise.all([
    listEnrolledStudents(course.courseId),
    listSessionsOfCourse(course.courseId),
    user.role === 'admin' ? listLecturers() : [],
    listTimetables(course.courseId),
    listCameraStates(),
  ]);
  const cameraName = new Map(cameras.map((c) => [c.cameraId, c.name]));
  return (
    <>
      <PageTitle>
        {course.code} — {course.courseName}
      </PageTitle>
      {user.role === 'admin' ? (
        <Card title={t('courses.lecturer')}>
          <JsonForm
            method="PATCH"
            url={`/api/courses/${course.courseId}`}
            submitLabel={t('common.save')}
            fields={[
              { name: 'lecturerId', label: t('courses.lecturer'), type: 'select', defaultValue: course.lecturerId ?? '', options: lecturers.map((l) => ({ value: l.userId, label: `${l.name} <${l.email}>` })) },
              { name: 'room', label: t('common.room'), defaultValue: course.room ?? '' },
            ]}
          />
        </Card>
      ) : null}
      <Card title={t('mood.title')}>
        <p className="mb-2 text-sm text-slate-600">{t('mood.courseHelp')}</p>
        <div className="flex items-center gap-3">
          <Badge tone={course.classMood ? 'green' : 'slate'}>{course.classMood ? t('mood.on') : t('mood.off')}</Badge>
          <ActionButton method="PATCH" url={`/api/courses/${course.courseId}/class-mood`} body={{ enabled: !course.classMood }} label={course.classMood ? t('mood.turnOff') : t('mood.turnOn')} />
        </div>
      </Card>
      <Card title={`${t('courses.enrolled')} (${students.length})`}>
        {students.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.name'), t('common.number')]}>
            {students.map((s) => (
              <tr key={s.studentId}>
                <Td>{user.role === 'admin' ? <Link className="text-blue-700 hover:underline" href={`/students/${s.studentId}`}>{s.name}</Link> : s.name}</Td>
                <Td>{s.studentNumber ?? '—'}</Td>
              </tr>
            ))}
          </Table>
        )}
        {user.role === 'admin' ? (
          <div className="mt-4">
            <JsonForm url={`/api/courses/${course.courseId}/enrollments`} submitLabel={t('common.save')} showResult fields={[{ name: 'students', label: t('courses.bulkEnroll'), type: 'textarea', as: 'lines', required: true, placeholder: 'S1001\nS1002' }]} />
          </div>
        ) : null}
      </Card>
      <Card title={t('timetables.title')}>
        <Timetables
          courseId={course.courseId}
          cameras={cameras.map((c) => ({ cameraId: c.cameraId, name: c.name, room: c.room }))}
          defaultTimeZone={env().CAMPUS_TIMEZONE}
          timetables={timetables.map((tt) => ({ timetableId: tt.timetableId, weekdayList: tt.weekdayList, startTime: tt.startTime, endTime: tt.endTime, fromDate: tt.fromDate, toDate: tt.toDate, exceptDates: tt.exceptDates, timeZone: tt.timeZone, room: tt.room, cameraId: tt.cameraId, cameraName: tt.cameraName, sessions: tt.sessions, upcoming: tt.upcoming }))}
          messages={messagesFor(lang)}
        />
      </Card>
      <Card title={`${t('nav.sessions')} (${sessions.length})`}>
        {sessions.length === 0 ? (
          <Empty>{t('sessions.empty')}</Empty>
        ) : (
          <div data-testid="course-sessions">
          <Table head={[t('sessions.starts'), t('common.room'), t('common.camera'), t('common.status'), '']}>
            {sessions.map((s) => (
              <tr key={s.sessionId}>
                <Td>
                  <Link className="text-blue-700 hover:underline" href={`/sessions/${s.sessionId}`}>
                    {fmtTime(s.startsAt)}
                  </Link>
                </Td>
                <Td>{s.room ?? '—'}</Td>
                <Td>{s.cameraId ? (cameraName.get(s.cameraId) ?? '—') : '—'}</Td>
                <Td>
                  <Badge tone={s.status === 'open' ? 'green' : 'slate'}>{s.status}</Badge>
                </Td>
                <Td>
                  <ActionButton method="POST" url={`/api/sessions/${s.sessionId}/start`} label={t('sessions.startNow')} />
                </Td>
              </tr>
            ))}
          </Table>
          </div>
        )}
      </Card>
    </>
  );
}
