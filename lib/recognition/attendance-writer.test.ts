import { describe, expect, it } from 'vitest';
import { isPermanentWriteError, type RecordAttendanceInput, type RecordAttendanceResult } from '@/lib/data/attendances';
import { AppError } from '@/lib/errors';
import { AttendanceWriter, type PendingRecognition } from './attendance-writer';

const item = (studentId: string): PendingRecognition => ({
  courseId: 'c',
  input: { sessionId: 's', studentId, seenAt: new Date(0) },
});

function fakeDb() {
  const rows = new Map<string, RecordAttendanceInput>();
  let down = false;
  return {
    rows,
    setDown: (v: boolean) => {
      down = v;
    },
    record: async (input: RecordAttendanceInput): Promise<RecordAttendanceResult> => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      const created = !rows.has(input.studentId);
      if (created) rows.set(input.studentId, input);
      return { created, attendance: {} as RecordAttendanceResult['attendance'] };
    },
  };
}

describe('AttendanceWriter', () => {
  it('writes in order and reports each write', async () => {
    const db = fakeDb();
    const written: string[] = [];
    const writer = new AttendanceWriter({
      record: db.record,
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      onWritten: (w) => written.push(w.input.studentId),
    });
    writer.submit(item('a'));
    writer.submit(item('b'));
    expect(await writer.drain()).toBe(true);
    expect(written).toEqual(['a', 'b']);
    expect(writer.stats()).toMatchObject({ written: 2, buffered: 0 });
  });

  it('keeps recognitions while the database is down and writes each exactly once when it is back', async () => {
    const db = fakeDb();
    db.setDown(true);
    const writer = new AttendanceWriter({
      record: db.record,
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      retryBaseMs: 5,
      retryMaxMs: 20,
    });
    for (const s of ['a', 'b', 'c']) writer.submit(item(s));
    await new Promise((r) => setTimeout(r, 60));
    expect(writer.stats().buffered).toBe(3);
    expect(writer.stats().failedAttempts).toBeGreaterThan(1);
    writer.submit(item('a'));
    db.setDown(false);
    expect(await writer.drain()).toBe(true);
    expect([...db.rows.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(writer.stats()).toMatchObject({ written: 4, buffered: 0, droppedOverflow: 0 });
  });

  it('re-checks enrolment at write time and drops rows that cannot be written', async () => {
    const db = fakeDb();
    const rejected: string[] = [];
    const writer = new AttendanceWriter({
      record: async (input) => {
        if (input.studentId === 'gone') throw new AppError('NOT_FOUND', 'session deleted');
        return db.record(input);
      },
      isEnrolled: async (_c, s) => s !== 'dropped-course',
      isPermanent: isPermanentWriteError,
      onRejected: (i, why) => rejected.push(`${i.input.studentId}:${why}`),
    });
    for (const s of ['dropped-course', 'gone', 'ok']) writer.submit(item(s));
    await writer.drain();
    expect([...db.rows.keys()]).toEqual(['ok']);
    expect(rejected).toEqual(['dropped-course:not-enrolled', 'gone:session deleted']);
  });

  it('is bounded: beyond maxBuffered the oldest waiting item is dropped and counted', async () => {
    const db = fakeDb();
    db.setDown(true);
    const writer = new AttendanceWriter({
      record: db.record,
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      maxBuffered: 2,
      retryBaseMs: 1000,
    });
    for (const s of ['a', 'b', 'c']) writer.submit(item(s));
    expect(writer.stats()).toMatchObject({ buffered: 2, droppedOverflow: 1 });
    const left = await writer.close(50);
    expect(left.map((i) => i.input.studentId)).toEqual(['b', 'c']);
  });

  it('refuses a row the database refuses for good (a broken constraint) instead of retrying it', async () => {
    const db = fakeDb();
    const rejected: string[] = [];
    const writer = new AttendanceWriter({
      record: async (input) => {
        // mysql2's ER_NO_REFERENCED_ROW_2: the session was deleted between the decision and the write.
        if (input.studentId === 'orphan') throw Object.assign(new Error('foreign key fails'), { errno: 1452 });
        return db.record(input);
      },
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      retryBaseMs: 1000,
      onRejected: (i) => rejected.push(i.input.studentId),
    });
    for (const s of ['orphan', 'ok']) writer.submit(item(s));
    expect(await writer.drain(500)).toBe(true);
    expect(rejected).toEqual(['orphan']);
    expect(writer.stats()).toMatchObject({ written: 1, rejected: 1, failedAttempts: 0 });
  });
});
