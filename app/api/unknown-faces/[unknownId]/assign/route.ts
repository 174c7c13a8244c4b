import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { assignUnknownBody } from '@/lib/dashboard/schemas';
import { assignUnknownFace } from '@/lib/review/assign-unknown-face';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      '"This is <student>": optional manual attendance, reviewed; an admin\'s answer makes a template from the stored embedding (same engine only), a lecturer\'s only suggests one for an admin to approve; 409 when already reviewed',
    params: pathParams('unknownId'),
    ownCourse: true,
    body: assignUnknownBody,
    response: {
      json: z.object({
        templateId: z.string().nullable(),
        attendanceId: z.string().nullable(),
        templateSkipped: z.enum(['no-embedding', 'other-engine', 'suggested']).nullable(),
      }),
    },
  },
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
