import { courseWithAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { downloadResponse, matrixCsv, matrixXlsx } from '@/lib/dashboard/report-export';
import { matrixQuery } from '@/lib/dashboard/schemas';
import { sessionMatrix } from '@/lib/data/report-matrix';

export const dynamic = 'force-dynamic';

/** Students × sessions of one course (P/L/E/A, rate per student and per session); `format=csv|xlsx` downloads it. */
export const GET = route({ query: matrixQuery }, async ({ query: q, user }) => {
  const course = await courseWithAccess(q.courseId, user);
  const matrix = await sessionMatrix(q);
  const name = `attendance-matrix-${course.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${q.from}-to-${q.to}`;
  if (q.format === 'csv') {
    return downloadResponse('csv', name, matrixCsv(matrix));
  }
  if (q.format === 'xlsx') {
    const bytes = await matrixXlsx(matrix, { courseCode: course.code, from: q.from, to: q.to });
    return downloadResponse('xlsx', name, bytes);
  }
  return Response.json({
    course: { courseId: course.courseId, code: course.code, name: course.courseName },
    ...matrix,
  });
});
