import { assertCourseAccess, lecturerScope } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { reportCsv, reportXlsx } from '@/lib/dashboard/report-export';
import { reportQuery } from '@/lib/dashboard/schemas';
import { getCourseOrThrow } from '@/lib/data/courses';
import { attendanceReport } from '@/lib/data/reports';

export const dynamic = 'force-dynamic';

/** Attendance rates per course and student over [from, to]; `format=csv|xlsx` downloads them. */
export const GET = route({ query: reportQuery }, async ({ query: q, user }) => {
  if (q.courseId) assertCourseAccess(user, await getCourseOrThrow(q.courseId));
  const report = await attendanceReport({
    from: q.from,
    to: q.to,
    courseId: q.courseId,
    lecturerId: lecturerScope(user),
  });
  const name = `attendance-${q.from}-to-${q.to}`;
  if (q.format === 'csv') {
    return new Response(reportCsv(report, q.threshold), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}.csv"`,
      },
    });
  }
  if (q.format === 'xlsx') {
    const bytes = await reportXlsx(report, q.threshold, q);
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${name}.xlsx"`,
      },
    });
  }
  return Response.json({ ...report, threshold: q.threshold });
});
