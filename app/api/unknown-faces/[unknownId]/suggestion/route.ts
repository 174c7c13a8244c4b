import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { decideSuggestionBody } from '@/lib/dashboard/schemas';
import { decideTemplateSuggestion } from '@/lib/review/assign-unknown-face';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      "Approve (the template is made from the face's stored embedding) or decline a lecturer's suggestion; audited; 409 when not pending",
    params: pathParams('unknownId'),
    body: decideSuggestionBody,
    roles: ['admin'],
    response: {
      json: z.object({
        templateId: z.string().nullable(),
        templateSkipped: z.enum(['no-embedding', 'other-engine']).nullable(),
      }),
    },
  },
  async ({ params, body, user }) =>
    Response.json(
      await decideTemplateSuggestion({ user, unknownId: params.unknownId, approve: body.decision === 'approve' }),
    ),
);
