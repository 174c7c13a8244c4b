import { route } from '@/lib/auth/route';
import { getStudentDetail } from '@/lib/data/student-directory';

export const dynamic = 'force-dynamic';

export const GET = route({ roles: ['admin'] }, async ({ params }) => Response.json(await getStudentDetail(String(params.studentId))));
