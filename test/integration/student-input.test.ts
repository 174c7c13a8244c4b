/**
 * Small input rules over the real API: student numbers compare without case everywhere (adding,
 * enrolling), and a student's name cannot be emptied.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { getStudentOrThrow } from '@/lib/data/students';
import { makeCourse, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function api(method: string, path: string, params: Record<string, string>, body: unknown): Promise<Response> {
  const mod = (await import(/* @vite-ignore */ `@/app/api/${path}/route`)) as Record<string, Handler>;
  return mod[method]!(
    new Request(`http://test/api/${path}`, {
      method,
      body: JSON.stringify(body),
      headers: { origin: 'http://test', 'content-type': 'application/json' },
    }),
    { params: Promise.resolve(params) },
  );
}

beforeAll(async () => {
  const admin = await makeUser({ role: 'admin' });
  signedIn = { id: admin.userId, role: 'admin', email: admin.email };
});

describe('student numbers compare without case', () => {
  it('enrolling "s2003" finds S2003, as adding "s2003" is refused beside S2003', async () => {
    const n = `S2003${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
    await makeStudent({ studentNumber: n });
    const course = await makeCourse();
    const res = await api(
      'POST',
      'courses/[courseId]/enrollments',
      { courseId: course.courseId },
      {
        students: [n.toLowerCase()],
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ added: 1, notFound: [] });
    const dup = await api('POST', 'students', {}, { name: 'Other', studentNumber: n.toLowerCase() });
    expect(dup.status).toBe(409);
  });
});

describe('a student’s name', () => {
  it('cannot be emptied: 400 in words, and the old name stays', async () => {
    const s = await makeStudent({ name: 'Keeps Her Name' });
    const res = await api('PATCH', 'students/[studentId]', { studentId: s.studentId }, { name: '  ' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; fields: Record<string, string> } };
    expect(error.fields.name).toMatch(/\w+/);
    expect((await getStudentOrThrow(s.studentId)).name).toBe('Keeps Her Name');
  });
});
