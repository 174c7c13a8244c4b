import { route } from '@/lib/auth/route';
import { buildMyDataCopy } from '@/lib/enrollment/student-self-service';

export const dynamic = 'force-dynamic';

/** The signed-in student's copy of their data: a ZIP of my-data.json and their enrolment photos (audited). */
export const GET = route({ roles: ['student'] }, async ({ user }) => {
  const { zip, fileName } = await buildMyDataCopy(user.id);
  return new Response(new Uint8Array(zip), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    },
  });
});
