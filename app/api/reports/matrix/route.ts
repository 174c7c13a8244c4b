import { courseWithAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { downloadResponse, matrixCsv, matrixXlsx } from '@/lib/dashboard/report-export';
import { matrixQuery } from '@/lib/dashboard/schemas';
import { sessionMatrix } from '@/lib/data/report-matrix';
import { sessionMatrixResponse, downloadTypes } from '@/lib/dashboard/report-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      'Students × sessions of one course (P present, L late, E excused, A absent; started, non-cancelled sessions), rate per student and per session; format=csv|xlsx to export',
    query: matrixQuery,
    ownCourse: true,
    response: {
      json: sessionMatrixResponse,
      contentType: downloadTypes,
    },
  },
  async ({ query: q, user }) => {
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
  },
);
