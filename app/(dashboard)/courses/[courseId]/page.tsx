import Link from 'next/link';
import { ActionButton } from '@/components/forms/action-button';
import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { assertCourseAccess } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { countCourseDependents, listLecturers } from '@/lib/data/course-admin';
import { getCourseOrThrow, listEnrolledStudents } from '@/lib/data/courses';
import { listCameraStates } from '@/lib/data/cameras';
import { listSessionsOfCourse } from '@/lib/data/session-admin';
import { listTimetables } from '@/lib/data/timetables';
import { env } from '@/lib/env';
import { messagesFor, statusText } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { NotificationRoutes } from './notification-routes';
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
  const admin = user.role === 'admin';
  const [students, sessions, lecturers, dependents, timetables, cameras] = await Promise.all([
    listEnrolledStudents(course.courseId),
    listSessionsOfCourse(course.courseId),
    admin ? listLecturers() : [],
    admin ? countCourseDependents(course.courseId) : { sessions: 0, attendances: 0 },
    listTimetables(course.courseId),
    listCameraStates(),
  ]);
  const cameraName = new Map(cameras.map((c) => [c.cameraId, c.name]));
  const confirm = {
    confirmLabel: t('common.confirmDelete'),
    cancelLabel: t('common.cancel'),
    cascadeLabel: t('common.deleteEverything'),
  };
  return (
    <>
      <PageTitle
        actions={
          admin ? (
            <DeleteButton
              url={`/api/courses/${course.courseId}`}
              label={t('courses.delete')}
              testId="delete-course"
              confirmText={
                dependents.sessions > 0
                  ? t('courses.deleteConfirmSessions', { code: course.code, ...dependents })
                  : t('courses.deleteConfirm', { code: course.code })
              }
              cascade={dependents.sessions > 0}
              redirectTo="/courses"
              {...confirm}
            />
          ) : null
        }
      >
        {course.code} — {course.courseName}
      </PageTitle>
      {admin ? (
        <Card title={t('courses.edit')}>
          <JsonForm
            method="PATCH"
            url={`/api/courses/${course.courseId}`}
            submitLabel={t('common.save')}
            savedLabel={t('common.saved')}
            testId="edit-course"
            fields={[
              { name: 'code', label: t('courses.code'), required: true, defaultValue: course.code },
              { name: 'courseName', label: t('common.name'), required: true, defaultValue: course.courseName },
              {
                name: 'lecturerId',
                label: t('courses.lecturer'),
                type: 'select',
                defaultValue: course.lecturerId ?? '',
                options: lecturers.map((l) => ({ value: l.userId, label: `${l.name} <${l.email}>` })),
              },
              { name: 'room', label: t('common.room'), defaultValue: course.room ?? '', nullable: true },
            ]}
          />
        </Card>
      ) : null}
      <Card title={t('mood.title')}>
        <p className="mb-2 text-sm text-slate-600">{t('mood.courseHelp')}</p>
        <div className="flex items-center gap-3">
          <Badge tone={course.classMood ? 'green' : 'slate'}>{course.classMood ? t('mood.on') : t('mood.off')}</Badge>
          <ActionButton
            method="PATCH"
            url={`/api/courses/${course.courseId}/class-mood`}
            body={{ enabled: !course.classMood }}
            label={course.classMood ? t('mood.turnOff') : t('mood.turnOn')}
          />
        </div>
      </Card>
      <Card title={t('notify.title')}>
        <NotificationRoutes courseId={course.courseId} viewer={{ role: user.role, email: user.email ?? '' }} t={t} />
      </Card>
      <Card title={`${t('courses.enrolled')} (${students.length})`}>
        {students.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.name'), t('common.number'), '']}>
            {students.map((s) => (
              <tr key={s.studentId} data-testid="enrolled-student">
                <Td>
                  {admin ? (
                    <Link className="text-blue-700 hover:underline" href={`/students/${s.studentId}`}>
                      {s.name}
                    </Link>
                  ) : (
                    s.name
                  )}
                </Td>
                <Td>{s.studentNumber ?? '—'}</Td>
                <Td>
                  {admin ? (
                    <DeleteButton
                      url={`/api/courses/${course.courseId}/enrollments/${s.studentId}`}
                      label={t('courses.unenroll')}
                      confirmText={t('courses.unenrollConfirm', { name: s.name, code: course.code })}
                      {...confirm}
                      confirmLabel={t('courses.unenroll')}
                    />
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {admin ? (
          <div className="mt-4">
            <JsonForm
              url={`/api/courses/${course.courseId}/enrollments`}
              submitLabel={t('common.save')}
              showResult
              fields={[
                {
                  name: 'students',
                  label: t('courses.bulkEnroll'),
                  type: 'textarea',
                  as: 'lines',
                  required: true,
                  placeholder: 'S1001\nS1002',
                },
              ]}
            />
          </div>
        ) : null}
      </Card>
      <Card title={t('timetables.title')}>
        <Timetables
          courseId={course.courseId}
          cameras={cameras.map((c) => ({ cameraId: c.cameraId, name: c.name, room: c.room }))}
          defaultTimeZone={env().CAMPUS_TIMEZONE}
          timetables={timetables.map((tt) => ({
            timetableId: tt.timetableId,
            weekdayList: tt.weekdayList,
            startTime: tt.startTime,
            endTime: tt.endTime,
            fromDate: tt.fromDate,
            toDate: tt.toDate,
            exceptDates: tt.exceptDates,
            timeZone: tt.timeZone,
            room: tt.room,
            cameraId: tt.cameraId,
            cameraName: tt.cameraName,
            sessions: tt.sessions,
            upcoming: tt.upcoming,
          }))}
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
                      {fmtTime(s.startsAt, lang)}
                    </Link>
                  </Td>
                  <Td>{s.room ?? '—'}</Td>
                  <Td>{s.cameraId ? (cameraName.get(s.cameraId) ?? '—') : '—'}</Td>
                  <Td>
                    <Badge tone={s.status === 'open' ? 'green' : 'slate'}>{statusText(t, s.status)}</Badge>
                  </Td>
                  <Td>
                    <ActionButton
                      method="POST"
                      url={`/api/sessions/${s.sessionId}/start`}
                      label={t('sessions.startNow')}
                    />
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
