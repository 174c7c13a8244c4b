import { pathParams, route } from '@/lib/auth/route';
import { assignUnknownBody } from '@/lib/dashboard/schemas';
import { assignUnknownFace } from '@/lib/review/assign-unknown-face';

export const dynamic = 'force-dynamic';

/** "This is <student>": template from the stored embedding, optional attendance, reviewed (audited). */
export const POST = route(
  { params: pathParams('unknownId'), body: assignUnknownBody },
  async ({ params, body, user }) => {
    const result = await assignUnknownFace({
      user: user,
      unknownId: params.unknownId,
      studentId: body.studentId,
      recordAttendance: body.recordAttendance,
    });
    return Response.json(result);
  },
);
