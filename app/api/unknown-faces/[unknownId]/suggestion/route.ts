import { pathParams, route } from '@/lib/auth/route';
import { decideSuggestionBody } from '@/lib/dashboard/schemas';
import { decideTemplateSuggestion } from '@/lib/review/assign-unknown-face';

export const dynamic = 'force-dynamic';

/** Approve (the face's stored embedding becomes the student's template) or decline; audited. */
export const POST = route(
  { params: pathParams('unknownId'), body: decideSuggestionBody, roles: ['admin'] },
  async ({ params, body, user }) =>
    Response.json(
      await decideTemplateSuggestion({ user, unknownId: params.unknownId, approve: body.decision === 'approve' }),
    ),
);
