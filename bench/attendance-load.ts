/**
 * The dashboard benchmarks' data: one course with 500 enrolled students and 200 closed sessions,
 * everyone present (every 10th late) — 100,000 attendance rows — plus an empty second course.
 */
import type { Connection } from 'mysql2/promise';

export const STUDENTS = 500;
export const SESSIONS = 200;
export const BENCH_COURSE_ID = 'c-bench';
export const LAST_SESSION_ID = `x-${SESSIONS - 1}`;

export async function seedAttendanceLoad(conn: Connection): Promise<void> {
  await conn.query(
    `INSERT INTO courses (course_id, code, course_name) VALUES ('c-bench', 'BENCH', 'Bench course'), ('c-other', 'OTHER', 'Other')`,
  );
  const ids = Array.from({ length: STUDENTS }, (_, i) => `s-${String(i).padStart(5, '0')}`);
  await conn.query('INSERT INTO students (student_id, student_number, name) VALUES ?', [
    ids.map((id, i) => [id, `B${i}`, `Student ${i}`]),
  ]);
  await conn.query('INSERT INTO course_enrollments (enrollment_id, student_id, course_id) VALUES ?', [
    ids.map((id) => [`e-${id}`, id, 'c-bench']),
  ]);
  const day0 = Date.UTC(2025, 0, 1, 9);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => {
    const start = new Date(day0 + i * 86_400_000);
    return [
      `x-${i}`,
      'c-bench',
      start.toISOString().slice(0, 10),
      start,
      new Date(start.getTime() + 5_400_000),
      'closed',
    ];
  });
  await conn.query('INSERT INTO class_sessions (session_id, course_id, date, starts_at, ends_at, status) VALUES ?', [
    sessions,
  ]);
  for (let s = 0; s < SESSIONS; s++) {
    const start = day0 + s * 86_400_000;
    const rows = ids.map((id, i) => [
      `a-${s}-${i}`,
      `x-${s}`,
      id,
      new Date(start + i * 1000),
      new Date(start + i * 1000),
      i % 10 === 0 ? 'late' : 'present',
      0.8,
    ]);
    await conn.query(
      'INSERT INTO attendances (attendance_id, session_id, student_id, timestamp, last_seen, status, confidence) VALUES ?',
      [rows],
    );
  }
  await conn.query('ANALYZE TABLE attendances, class_sessions, course_enrollments, students');
}
