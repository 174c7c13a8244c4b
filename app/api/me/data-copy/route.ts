import { route } from '@/lib/auth/route';
import { buildMyDataCopy } from '@/lib/enrollment/student-self-service';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'A copy of their data: ZIP of my-data.json and their enrolment photos (audited)',
    roles: ['student'],
    response: { contentType: ['application/zip'] },
  },
  async ({ user }) => {
    const { zip, fileName } = await buildMyDataCopy(user.id);
    return new Response(new Uint8Array(zip), {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${fileName}"`,
        'cache-control': 'no-store',
      },
    });
  },
);
