import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { listAttendanceForSession, recordAttendance } from '@/lib/data/attendances';
import { AppError } from '@/lib/errors';
import { makeCamera, makeSession, makeStudent } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();

describe('recordAttendance', () => {
  it('keeps exactly one row under 50 concurrent inserts of the same (session, student)', async () => {
    const [session, student, camera] = await Promise.all([makeSession(), makeStudent(), makeCamera()]);
    const base = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        recordAttendance({
          sessionId: session.sessionId,
          studentId: student.studentId,
          seenAt: new Date(base + i * 1000),
          confidence: 0.9,
          cameraId: camera.cameraId,
        }),
      ),
    );

    const rows = await listAttendanceForSession(session.sessionId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.attendance.attendanceId))).toEqual(new Set([row.attendanceId]));
    // First sighting wins; later ones only move last_seen forward.
    const winner = results.find((r) => r.created)!;
    expect(row.timestamp.getTime()).toBe(winner.attendance.timestamp.getTime());
    expect(row.lastSeen.getTime()).toBe(base + 49 * 1000);
    expect(row).toMatchObject({ status: 'present', source: 'camera', cameraId: camera.cameraId, confidence: 0.9 });
  });

  it('does not move the first sighting or last_seen backwards', async () => {
    const [session, student] = await Promise.all([makeSession(), makeStudent()]);
    const t0 = new Date('2026-03-02T09:05:00.123Z');
    const first = await recordAttendance({
      sessionId: session.sessionId,
      studentId: student.studentId,
      seenAt: t0,
      status: 'late',
    });
    expect(first.created).toBe(true);
    const earlier = await recordAttendance({
      sessionId: session.sessionId,
      studentId: student.studentId,
      seenAt: new Date(t0.getTime() - 60_000),
      status: 'present',
    });
    expect(earlier.created).toBe(false);
    expect(earlier.attendance).toMatchObject({ status: 'late', timestamp: t0, lastSeen: t0 });
  });

  it('gives a clear NOT_FOUND AppError for a student that does not exist', async () => {
    const session = await makeSession();
    const attempt = recordAttendance({
      sessionId: session.sessionId,
      studentId: crypto.randomUUID(),
      seenAt: new Date(),
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'That student does not exist (any more).',
    });
  });

  it('goes away with its student (ON DELETE CASCADE)', async () => {
    const [session, student] = await Promise.all([makeSession(), makeStudent()]);
    await recordAttendance({ sessionId: session.sessionId, studentId: student.studentId, seenAt: new Date() });
    const conn = await createConnection({ uri: db.url() });
    await conn.query('DELETE FROM students WHERE student_id = ?', [student.studentId]);
    await conn.end();
    expect(await listAttendanceForSession(session.sessionId)).toHaveLength(0);
  });
});
