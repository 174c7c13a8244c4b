import { courseWithAccess, lecturerScope } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { downloadResponse, reportCsv, reportXlsx } from '@/lib/dashboard/report-export';
import { reportQuery } from '@/lib/dashboard/schemas';
import { attendanceReport } from '@/lib/data/reports';
import { attendanceReportResponse, downloadTypes } from '@/lib/dashboard/report-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Attendance rates per course and student (lecturers: their own courses); format=csv|xlsx to export',
    query: reportQuery,
    response: {
      json: attendanceReportResponse,
      contentType: downloadTypes,
    },
  },
  async ({ query: q, user }) => {
    if (q.courseId) await courseWithAccess(q.courseId, user);
    const report = await attendanceReport({
      from: q.from,
      to: q.to,
      courseId: q.courseId,
      lecturerId: lecturerScope(user),
    });
    const name = `attendance-${q.from}-to-${q.to}`;
    if (q.format === 'csv') {
      return downloadResponse('csv', name, reportCsv(report, q.threshold));
    }
    if (q.format === 'xlsx') {
      const bytes = await reportXlsx(report, q.threshold, q);
      return downloadResponse('xlsx', name, bytes);
    }
    return Response.json({ ...report, threshold: q.threshold });
  },
);
