import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { attendances, auditLog, cameras, courseEnrollments, courses, students } from '@/db/schema';
import { writeAttendance } from '@/lib/data/attendances';
import { createCamera, setCameraPushToken } from '@/lib/data/cameras';
import { bulkEnroll, deleteCourse, unenroll, updateCourse } from '@/lib/data/course-admin';
import { createCourse, enrollStudent } from '@/lib/data/courses';
import { markAttendanceManually } from '@/lib/data/live-attendance';
import { createStudent, updateStudent } from '@/lib/data/students';
import { makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

/** An actor id no user has: audit_log.actor_user_id's foreign key refuses it, so the audit insert fails. */
const NO_SUCH_ACTOR = '00000000-0000-4000-8000-000000000000';

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await getDb().select().from(auditLog).where(eq(auditLog.entityId, entityId));
  return rows.map((r) => r.action).sort();
}

describe('a change and its audit entry land together or not at all', () => {
  it('a failed audit insert rolls the change back', async () => {
    const code = `AUD${Date.now() % 100000}`;
    await expect(
      createCourse({ code, courseName: 'Audited', lecturerId: null, room: null }, NO_SUCH_ACTOR),
    ).rejects.toThrow();
    expect(await getDb().select().from(courses).where(eq(courses.code, code))).toEqual([]);

    await expect(
      createStudent({ name: 'Never Stored', studentNumber: 'NS-1', email: null, photo: null }, NO_SUCH_ACTOR),
    ).rejects.toThrow();
    expect(await getDb().select().from(students).where(eq(students.studentNumber, 'NS-1'))).toEqual([]);

    const course = await makeCourse({ courseName: 'Before' });
    await expect(updateCourse(course.courseId, { courseName: 'After' }, NO_SUCH_ACTOR)).rejects.toThrow();
    const [kept] = await getDb().select().from(courses).where(eq(courses.courseId, course.courseId));
    expect(kept?.courseName).toBe('Before');

    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    await expect(unenroll(course.courseId, student.studentId, NO_SUCH_ACTOR)).rejects.toThrow();
    expect(
      await getDb()
        .select()
        .from(courseEnrollments)
        .where(
          and(eq(courseEnrollments.courseId, course.courseId), eq(courseEnrollments.studentId, student.studentId)),
        ),
    ).toHaveLength(1);

    await expect(deleteCourse(course.courseId, { cascade: true }, NO_SUCH_ACTOR)).rejects.toThrow();
    expect(await getDb().select().from(courses).where(eq(courses.courseId, course.courseId))).toHaveLength(1);

    await expect(
      createCamera(
        { name: 'cam-unaudited', room: null, mode: 'push', streamUrl: null, snapshotUrl: null },
        { prefix: 'cam_x', hash: 'a'.repeat(64) },
        NO_SUCH_ACTOR,
      ),
    ).rejects.toThrow();
    expect(await getDb().select().from(cameras).where(eq(cameras.name, 'cam-unaudited'))).toEqual([]);
  });

  it('a failed audit insert leaves a manual mark and a token rotation undone', async () => {
    const admin = await makeUser({ role: 'admin' });
    const session = await makeSession();
    const student = await makeStudent();
    await enrollStudent(session.courseId, student.studentId);
    await expect(
      markAttendanceManually({
        sessionId: session.sessionId,
        studentId: student.studentId,
        status: 'present',
        reason: 'seen in class',
        actorUserId: NO_SUCH_ACTOR,
      }),
    ).rejects.toThrow();
    expect(await getDb().select().from(attendances).where(eq(attendances.sessionId, session.sessionId))).toEqual([]);

    const camera = await createCamera(
      { name: `cam-${Date.now()}`, room: null, mode: 'push', streamUrl: null, snapshotUrl: null },
      { prefix: 'cam_old', hash: 'b'.repeat(64) },
      admin.userId,
    );
    await expect(
      setCameraPushToken(camera.cameraId, { prefix: 'cam_new', hash: 'c'.repeat(64) }, NO_SUCH_ACTOR),
    ).rejects.toThrow();
    const [row] = await getDb().select().from(cameras).where(eq(cameras.cameraId, camera.cameraId));
    expect(row).toMatchObject({ tokenPrefix: 'cam_old', tokenHash: 'b'.repeat(64) });
    expect(await auditActions(camera.cameraId)).toEqual(['camera.create']);
  });

  it('each change writes one entry naming its actor', async () => {
    const admin = await makeUser({ role: 'admin' });
    const course = await createCourse(
      { code: `AUD-OK-${Date.now() % 100000}`, courseName: 'Audited', lecturerId: null, room: null },
      admin.userId,
    );
    const student = await createStudent(
      { name: 'Audited Student', studentNumber: `AS-${Date.now() % 100000}`, email: null, photo: null },
      admin.userId,
    );
    await updateStudent(student.studentId, { email: 'audited@example.edu' }, admin.userId);
    await bulkEnroll(course.courseId, [student.studentNumber!, 'no-such-number'], admin.userId);
    expect(await unenroll(course.courseId, student.studentId, admin.userId)).toBe(true);
    // Not enrolled any more: nothing changes, nothing is audited.
    expect(await unenroll(course.courseId, student.studentId, admin.userId)).toBe(false);
    await updateCourse(course.courseId, { room: 'B2' }, admin.userId);

    expect(await auditActions(course.courseId)).toEqual([
      'course.create',
      'course.enroll',
      'course.unenroll',
      'course.update',
    ]);
    expect(await auditActions(student.studentId)).toEqual(['student.create', 'student.update']);
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.entityId, course.courseId));
    expect(entries.every((e) => e.actorUserId === admin.userId)).toBe(true);
    expect(entries.find((e) => e.action === 'course.enroll')?.details).toEqual({ added: 1, notFound: 1 });
  });
});

describe('writeAttendance: one row per student per session, whoever writes it', () => {
  it('a camera sighting keeps the first time, a review keeps the row, a manual mark overwrites the status', async () => {
    const session = await makeSession();
    const student = await makeStudent();
    const key = { sessionId: session.sessionId, studentId: student.studentId };
    const t0 = new Date('2026-03-02T09:05:00.000Z');
    const t1 = new Date('2026-03-02T09:20:00.000Z');
    const db = getDb();

    const first = await writeAttendance(db, { ...key, seenAt: t0, status: 'late', confidence: 0.8 }, 'seen-again');
    expect(first.created).toBe(true);
    const again = await writeAttendance(db, { ...key, seenAt: t1, confidence: 0.95 }, 'seen-again');
    expect(again).toMatchObject({ created: false, attendance: { status: 'late', confidence: 0.8 } });
    expect(again.attendance.timestamp.getTime()).toBe(t0.getTime());
    expect(again.attendance.lastSeen.getTime()).toBe(t1.getTime());

    const review = await writeAttendance(
      db,
      { ...key, seenAt: t1, source: 'manual', reason: 'assigned in review' },
      'keep',
    );
    expect(review).toMatchObject({ created: false, attendance: { status: 'late', source: 'camera', reason: null } });

    const mark = await writeAttendance(
      db,
      { ...key, seenAt: t1, status: 'excused', source: 'manual', reason: 'doctor' },
      'overwrite',
    );
    expect(mark).toMatchObject({
      created: false,
      attendance: { status: 'excused', source: 'manual', reason: 'doctor' },
    });
    expect(mark.attendance.timestamp.getTime()).toBe(t0.getTime());
    expect(await db.select().from(attendances).where(eq(attendances.sessionId, session.sessionId))).toHaveLength(1);
  });
});
