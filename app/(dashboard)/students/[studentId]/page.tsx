import Link from 'next/link';
import { ActionButton } from '@/components/forms/action-button';
import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { countAttendancesOfStudent, listCoursesOfStudent } from '@/lib/data/students';
import { studentDetailWithPhotoWarnings } from '@/lib/enrollment/photo-warnings';
import { messagesFor, statusText } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { PhotoThumb, type Box } from './photo-thumb';
import { PhotoUpload } from './photo-upload-client';

export const dynamic = 'force-dynamic';

type StoredQuality = { width?: number; height?: number; box?: Box | null };

export default async function StudentPage({ params }: { params: Promise<{ studentId: string }> }) {
  const { studentId } = await params;
  await requirePageUser(['admin'], `/students/${studentId}`);
  const { lang, t } = await getI18n();
  const { student, photos, templates, history } = await forPage(() =>
    studentDetailWithPhotoWarnings(studentId, { lang }),
  );
  const [attendanceCount, courses] = await Promise.all([
    countAttendancesOfStudent(student.studentId),
    listCoursesOfStudent(student.studentId),
  ]);
  const base = `/api/students/${student.studentId}`;
  const confirm = {
    confirmLabel: t('common.confirmDelete'),
    cancelLabel: t('common.cancel'),
    cascadeLabel: t('common.deleteEverything'),
  };
  return (
    <>
      <PageTitle
        actions={
          <div className="flex flex-wrap items-start gap-2">
            <ActionButton
              method="DELETE"
              url={`${base}/biometrics`}
              label={t('students.deleteBiometrics')}
              confirmText={t('students.deleteBiometricsConfirm')}
              variant="danger"
            />
            <DeleteButton
              url={base}
              label={t('students.delete')}
              testId="delete-student"
              confirmText={
                attendanceCount > 0
                  ? t('students.deleteConfirmAttendance', { name: student.name, n: attendanceCount })
                  : t('students.deleteConfirm', { name: student.name })
              }
              cascade={attendanceCount > 0}
              redirectTo="/students"
              {...confirm}
            />
          </div>
        }
      >
        {student.name} <span className="text-base font-normal text-slate-500">{student.studentNumber}</span>
      </PageTitle>
      <Card title={t('students.edit')}>
        <JsonForm
          method="PATCH"
          url={base}
          submitLabel={t('common.save')}
          savedLabel={t('common.saved')}
          testId="edit-student"
          fields={[
            { name: 'name', label: t('common.name'), required: true, defaultValue: student.name },
            {
              name: 'studentNumber',
              label: t('common.number'),
              defaultValue: student.studentNumber ?? '',
              nullable: true,
            },
            {
              name: 'email',
              label: t('common.email'),
              type: 'email',
              defaultValue: student.email ?? '',
              nullable: true,
            },
          ]}
        />
      </Card>
      <Card title={`${t('students.courses')} (${courses.length})`}>
        {courses.length === 0 ? (
          <Empty>{t('students.notEnrolled')}</Empty>
        ) : (
          <Table head={[t('courses.code'), t('common.name'), '']}>
            {courses.map((c) => (
              <tr key={c.courseId} data-testid="student-course">
                <Td>
                  <Link className="text-blue-700 hover:underline" href={`/courses/${c.courseId}`}>
                    {c.code}
                  </Link>
                </Td>
                <Td>{c.courseName}</Td>
                <Td>
                  <DeleteButton
                    url={`/api/courses/${c.courseId}/enrollments/${student.studentId}`}
                    label={t('courses.unenroll')}
                    confirmText={t('courses.unenrollConfirm', { name: student.name, code: c.code })}
                    {...confirm}
                    confirmLabel={t('courses.unenroll')}
                  />
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={`${t('students.upload')}`}>
        <PhotoUpload url={`${base}/photos`} messages={messagesFor(lang)} />
      </Card>
      <Card title={`${t('students.photos')} (${photos.length}) · ${t('students.templates')}: ${templates}`}>
        {photos.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="photos">
            {photos.map((p) => {
              const q = (p.quality ?? {}) as StoredQuality;
              return (
                <li
                  key={p.photoId}
                  className={`rounded-md border p-2 text-xs ${p.warning ? 'border-amber-400' : 'border-slate-200'}`}
                  data-warning={p.warning?.code}
                >
                  <PhotoThumb
                    src={`${base}/photos/${p.photoId}`}
                    box={q.box ?? null}
                    width={q.width}
                    height={q.height}
                    accepted={p.accepted}
                  />
                  <div className="mt-1 flex items-center justify-between gap-1">
                    <Badge tone={p.accepted ? 'green' : 'red'}>
                      {p.accepted ? t('students.accepted') : t('students.rejected')}
                    </Badge>
                    <ActionButton
                      method="DELETE"
                      url={`${base}/photos/${p.photoId}`}
                      label={t('common.delete')}
                      variant="danger"
                    />
                  </div>
                  {p.reason ? <p className="mt-1 text-red-700">{p.reason}</p> : null}
                  {p.warning ? (
                    <div className="mt-1 text-amber-800" data-testid="photo-warning">
                      <Badge tone="amber">{t('students.photoCheck')}</Badge>
                      <p className="mt-1">{p.warning.message}</p>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title={t('students.history')}>
        {history.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.date'), t('common.course'), t('common.status'), t('common.time')]}>
            {history.map((h) => (
              <tr key={h.sessionId}>
                <Td>{h.date}</Td>
                <Td>{h.courseCode}</Td>
                <Td>
                  <Badge tone={h.status === 'absent' ? 'red' : h.status === 'late' ? 'amber' : 'green'}>
                    {statusText(t, h.status)}
                  </Badge>{' '}
                  {h.source === 'manual' ? '✎' : ''}
                </Td>
                <Td>{fmtTime(h.timestamp, lang)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
