import Link from 'next/link';
import { JsonForm } from '@/components/forms/json-form';
import { Card, Empty, PageTitle, Table, Td } from '@/components/ui';
import { lecturerScope } from '@/lib/auth/access';
import { requirePageUser } from '@/lib/auth/page';
import { listCoursesWithCounts, listLecturers } from '@/lib/data/course-admin';
import { getI18n } from '../i18n';

export const dynamic = 'force-dynamic';

export default async function CoursesPage() {
  const user = await requirePageUser(undefined, '/courses');
  const { t } = await getI18n();
  const [courses, lecturers] = await Promise.all([
    listCoursesWithCounts(lecturerScope(user)),
    user.role === 'admin' ? listLecturers() : [],
  ]);
  return (
    <>
      <PageTitle>{t('courses.title')}</PageTitle>
      <Card>
        {courses.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table
            head={[
              t('courses.code'),
              t('common.name'),
              t('courses.lecturer'),
              t('courses.enrolled'),
              t('nav.sessions'),
            ]}
          >
            {courses.map((c) => (
              <tr key={c.courseId}>
                <Td>
                  <Link className="text-blue-700 hover:underline" href={`/courses/${c.courseId}`}>
                    {c.code}
                  </Link>
                </Td>
                <Td>{c.courseName}</Td>
                <Td>{c.lecturerName ?? <span className="text-amber-700">{t('courses.unassigned')}</span>}</Td>
                <Td>{c.enrolled}</Td>
                <Td>{c.sessions}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {user.role === 'admin' ? (
        <Card title={t('courses.add')}>
          <JsonForm
            url="/api/courses"
            submitLabel={t('common.create')}
            fields={[
              { name: 'code', label: t('courses.code'), required: true },
              { name: 'courseName', label: t('common.name'), required: true },
              {
                name: 'lecturerId',
                label: t('courses.lecturer'),
                type: 'select',
                options: lecturers.map((l) => ({ value: l.userId, label: `${l.name} <${l.email}>` })),
              },
              { name: 'room', label: t('common.room') },
            ]}
          />
        </Card>
      ) : null}
    </>
  );
}
