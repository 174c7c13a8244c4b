/**
 * Unknown-face review through the real routes and database: the crop is served to the right people,
 * and "This is <student>" makes a template with the exact stored bytes, a manual attendance row and
 * an audit entry — once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { attendances, auditLog, faceTemplates, unknownFaces, type UserRole } from '@/db/schema';
import { enrollStudent } from '@/lib/data/courses';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { resetEnvCache } from '@/lib/env';
import { currentEngineIdentity, engineKey } from '@/lib/face/engine-identity';
import { getStorage, resetStorage } from '@/lib/storage';
import { makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const as = async (u: { userId: string; role: UserRole; email: string }) =>
  (signedIn = { id: u.userId, role: u.role, email: u.email });

let dir: string;
const ids = { sessionId: '', courseId: '', studentId: '', outsiderId: '' };
const people = {} as Record<'lecturer' | 'other' | 'admin', Awaited<ReturnType<typeof makeUser>>>;
const embedding = Buffer.from(Float32Array.from({ length: 1280 }, (_, i) => Math.sin(i)).buffer);

async function assign(unknownId: string, body: unknown): Promise<Response> {
  const { POST } = (await import('@/app/api/unknown-faces/[unknownId]/assign/route')) as unknown as { POST: Handler };
  const req = new Request('http://test/api/unknown-faces/x/assign', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { origin: 'http://test', 'content-type': 'application/json' },
  });
  return POST(req, { params: Promise.resolve({ unknownId }) });
}

async function image(unknownId: string): Promise<Response> {
  const { GET } = (await import('@/app/api/unknown-faces/[unknownId]/image/route')) as unknown as { GET: Handler };
  return GET(new Request('http://test/api/unknown-faces/x/image'), { params: Promise.resolve({ unknownId }) });
}

async function newUnknown(model = engineKey(currentEngineIdentity('embedding'))): Promise<string> {
  const storageKey = `unknown-faces/test/${crypto.randomUUID()}.jpg`;
  const crop = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#884422' } })
    .jpeg()
    .toBuffer();
  await getStorage().put(storageKey, crop, 'image/jpeg');
  return insertUnknownFace({
    sessionId: ids.sessionId,
    cameraId: null,
    storageKey,
    embedding,
    model,
    seenAt: new Date('2026-03-02T08:05:00Z'),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'unknown-review-'));
  process.env.DATA_DIR = dir;
  process.env.MATCHER = 'embedding';
  resetEnvCache();
  resetStorage();
  people.lecturer = await makeUser({ role: 'lecturer' });
  people.other = await makeUser({ role: 'lecturer' });
  people.admin = await makeUser({ role: 'admin' });
  const course = await makeCourse({ lecturerId: people.lecturer.userId });
  const [student, outsider] = [await makeStudent(), await makeStudent()];
  await enrollStudent(course.courseId, student.studentId);
  const session = await makeSession({ courseId: course.courseId });
  Object.assign(ids, {
    sessionId: session.sessionId,
    courseId: course.courseId,
    studentId: student.studentId,
    outsiderId: outsider.studentId,
  });
});

afterAll(async () => {
  delete process.env.DATA_DIR;
  resetEnvCache();
  resetStorage();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('GET /api/unknown-faces/:id/image', () => {
  it('streams the stored crop to the course lecturer and admin, 403 for another lecturer', async () => {
    const unknownId = await newUnknown();
    await as(people.lecturer);
    const res = await image(unknownId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(40);
    await as(people.admin);
    expect((await image(unknownId)).status).toBe(200);
    await as(people.other);
    expect((await image(unknownId)).status).toBe(403);
  });
});

describe('POST /api/unknown-faces/:id/assign', () => {
  it('an admin’s makes a template with the same bytes, a manual attendance row and an audit entry; a second assign is 409', async () => {
    const unknownId = await newUnknown();
    await as(people.admin);
    const res = await assign(unknownId, { studentId: ids.studentId });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { templateId: string; attendanceId: string; templateSkipped: null };
    expect(out.templateSkipped).toBeNull();

    const db = getDb();
    const [template] = await db.select().from(faceTemplates).where(eq(faceTemplates.templateId, out.templateId));
    const engine = currentEngineIdentity('embedding');
    expect(template).toMatchObject({
      studentId: ids.studentId,
      photoId: null,
      model: engine.model,
      modelVersion: engine.version,
      dims: 1280,
    });
    expect(Buffer.compare(template!.embedding, embedding)).toBe(0);

    const [att] = await db
      .select()
      .from(attendances)
      .where(and(eq(attendances.sessionId, ids.sessionId), eq(attendances.studentId, ids.studentId)));
    expect(att).toMatchObject({
      attendanceId: out.attendanceId,
      source: 'manual',
      status: 'present',
      reason: 'assigned from unknown face',
      markedBy: people.admin.userId,
    });

    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'unknown_faces'), eq(auditLog.entityId, unknownId)));
    expect(audit.map((a) => a.action)).toEqual(['unknown_face.assign']);
    expect(audit[0]!.actorUserId).toBe(people.admin.userId);

    const [row] = await db.select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId));
    expect(row).toMatchObject({ reviewed: true, reviewedBy: people.admin.userId, studentId: ids.studentId });

    expect((await assign(unknownId, { studentId: ids.studentId })).status).toBe(409);
  });

  it('403 for another lecturer, 400 for a student not enrolled; nothing is written', async () => {
    const unknownId = await newUnknown();
    await as(people.other);
    expect((await assign(unknownId, { studentId: ids.studentId })).status).toBe(403);
    await as(people.admin);
    const bad = await assign(unknownId, { studentId: ids.outsiderId });
    expect(bad.status).toBe(400);
    const [row] = await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId));
    expect(row!.reviewed).toBe(false);
  });

  it('PATCH review ("this was <student>") also refuses a student not enrolled in the course, and accepts an enrolled one', async () => {
    const { PATCH } = (await import('@/app/api/sessions/[sessionId]/unknown/[unknownId]/route')) as unknown as {
      PATCH: Handler;
    };
    const review = (unknownId: string, studentId: string | null) =>
      PATCH(
        new Request('http://test/x', {
          method: 'PATCH',
          body: JSON.stringify({ studentId }),
          headers: { origin: 'http://test', 'content-type': 'application/json' },
        }),
        { params: Promise.resolve({ sessionId: ids.sessionId, unknownId }) },
      );
    const unknownId = await newUnknown();
    await as(people.lecturer);
    const bad = await review(unknownId, ids.outsiderId);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not enrolled in this course/);
    expect((await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId)))[0]).toMatchObject({
      reviewed: false,
      studentId: null,
    });
    expect((await review(unknownId, ids.studentId)).status).toBe(200);
    expect((await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId)))[0]).toMatchObject({
      reviewed: true,
      studentId: ids.studentId,
    });
  });

  it('an embedding from another engine version makes no template, but the face is still assigned', async () => {
    const unknownId = await newUnknown('fused-mobileface-faceres|1-old');
    await as(people.admin);
    const res = await assign(unknownId, { studentId: ids.studentId, recordAttendance: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ templateId: null, templateSkipped: 'other-engine', attendanceId: null });
  });
});
