import 'server-only';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import { runDb } from '@/db/client';
import { auditLog, cameras, classSessions, courses, students, users, type AuditEntry } from '@/db/schema';
import { redactAuditDetails } from './audit';

/** What an audit row is about, as a person reads it: a name, not an id. */
export interface AuditSubject {
  kind: 'student' | 'course' | 'camera' | 'session' | 'user' | 'unknown_face' | 'other';
  /** Name / code / email; from the row's details when the thing was deleted since; null when unknown. */
  label: string | null;
  /** The dashboard page of the thing, while it exists. */
  href: string | null;
  deleted: boolean;
  /** Sessions: when it starts (the label is the course code). */
  at?: Date | null;
}

export interface AuditRow extends AuditEntry {
  actorName: string | null;
  actorEmail: string | null;
  subject: AuditSubject;
}

export interface AuditFilters {
  /** A user id, or 'system' for rows without a signed-in actor (CLI, worker, failed sign-ins). */
  actor?: string;
  action?: string;
  /** Local calendar days, inclusive: 'YYYY-MM-DD'. */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Names of the students and users that row details refer to by id (`studentId`, `lecturerId`). */
  names: Record<string, string>;
}

const STUDENT_ENTITIES = ['student', 'students'];
const CAMERA_ENTITIES = ['camera', 'cameras'];
const SESSION_ENTITIES = ['session', 'class_sessions'];

function dayStart(day: string, offsetDays = 0): Date {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + offsetDays);
  return d;
}

function whereOf(f: AuditFilters): SQL | undefined {
  return and(
    f.actor === 'system' ? isNull(auditLog.actorUserId) : f.actor ? eq(auditLog.actorUserId, f.actor) : undefined,
    f.action ? eq(auditLog.action, f.action) : undefined,
    f.from ? gte(auditLog.createdAt, dayStart(f.from)) : undefined,
    f.to ? lt(auditLog.createdAt, dayStart(f.to, 1)) : undefined,
  );
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** The audit log, newest first, filtered on the server, with actor and subject names resolved. */
export async function listAuditLog(filters: AuditFilters = {}): Promise<AuditPage> {
  const page = Math.max(1, filters.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, filters.pageSize ?? 50));
  const where = whereOf(filters);
  const actor = alias(users, 'actor');
  const subjectUser = alias(users, 'subject_user');
  const sessionCourse = alias(courses, 'session_course');
  return runDb('audit.list', async (db) => {
    const [count] = await db
      .select({ n: sql<number>`count(*)` })
      .from(auditLog)
      .where(where);
    const rows = await db
      .select({
        entry: auditLog,
        actorName: actor.name,
        actorEmail: actor.email,
        studentName: students.name,
        studentNumber: students.studentNumber,
        courseCode: courses.code,
        cameraName: cameras.name,
        sessionStartsAt: classSessions.startsAt,
        sessionCourse: sessionCourse.code,
        userEmail: subjectUser.email,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.userId, auditLog.actorUserId))
      .leftJoin(students, and(inArray(auditLog.entity, STUDENT_ENTITIES), eq(students.studentId, auditLog.entityId)))
      .leftJoin(courses, and(eq(auditLog.entity, 'courses'), eq(courses.courseId, auditLog.entityId)))
      .leftJoin(cameras, and(inArray(auditLog.entity, CAMERA_ENTITIES), eq(cameras.cameraId, auditLog.entityId)))
      .leftJoin(
        classSessions,
        and(inArray(auditLog.entity, SESSION_ENTITIES), eq(classSessions.sessionId, auditLog.entityId)),
      )
      .leftJoin(sessionCourse, eq(sessionCourse.courseId, classSessions.courseId))
      .leftJoin(subjectUser, and(eq(auditLog.entity, 'users'), eq(subjectUser.userId, auditLog.entityId)))
      .where(where)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.auditId))
      .limit(pageSize)
      .offset((page - 1) * pageSize);

    const result: AuditRow[] = rows.map((r) => {
      const { entry } = r;
      const d = (entry.details ?? {}) as Record<string, unknown>;
      const id = entry.entityId;
      let subject: AuditSubject;
      if (STUDENT_ENTITIES.includes(entry.entity)) {
        const live = r.studentName ? `${r.studentName}${r.studentNumber ? ` (${r.studentNumber})` : ''}` : null;
        const gone = str(d.name) ? `${str(d.name)}${str(d.studentNumber) ? ` (${str(d.studentNumber)})` : ''}` : null;
        subject = { kind: 'student', label: live ?? gone, href: live ? `/students/${id}` : null, deleted: !live };
      } else if (entry.entity === 'courses') {
        subject = {
          kind: 'course',
          label: r.courseCode ?? str(d.code),
          href: r.courseCode ? `/courses/${id}` : null,
          deleted: !r.courseCode,
        };
      } else if (CAMERA_ENTITIES.includes(entry.entity)) {
        subject = {
          kind: 'camera',
          label: r.cameraName ?? str(d.name),
          href: r.cameraName ? '/cameras' : null,
          deleted: !r.cameraName,
        };
      } else if (SESSION_ENTITIES.includes(entry.entity)) {
        const live = r.sessionStartsAt !== null;
        subject = {
          kind: 'session',
          label: r.sessionCourse,
          at: r.sessionStartsAt,
          href: live ? `/sessions/${id}` : null,
          deleted: !live && id !== null,
        };
      } else if (entry.entity === 'users') {
        subject = {
          kind: 'user',
          label: r.userEmail ?? str(d.email),
          href: null,
          deleted: !r.userEmail && id !== null,
        };
      } else {
        subject = {
          kind: entry.entity === 'unknown_faces' ? 'unknown_face' : 'other',
          label: null,
          href: null,
          deleted: false,
        };
      }
      // Rows written before details were redacted on insert may still hold a camera URL's password.
      const details = redactAuditDetails(entry.details);
      return { ...entry, details, actorName: r.actorName, actorEmail: r.actorEmail, subject };
    });
    return { rows: result, total: Number(count?.n ?? 0), page, pageSize, names: await namesInDetails(result) };
  });
}

/** Student and user names for the ids row details carry (`studentId`, `lecturerId`, `removed.studentId`). */
async function namesInDetails(rows: AuditRow[]): Promise<Record<string, string>> {
  const studentIds = new Set<string>();
  const userIds = new Set<string>();
  for (const r of rows) {
    const d = (r.details ?? {}) as Record<string, unknown>;
    const removed = (d.removed ?? {}) as Record<string, unknown>;
    for (const v of [d.studentId, removed.studentId]) if (typeof v === 'string') studentIds.add(v);
    for (const v of [d.lecturerId, removed.markedBy]) if (typeof v === 'string') userIds.add(v);
  }
  const names: Record<string, string> = {};
  if (studentIds.size === 0 && userIds.size === 0) return names;
  await runDb('audit.detailNames', async (db) => {
    if (studentIds.size > 0) {
      const found = await db
        .select({ id: students.studentId, name: students.name, number: students.studentNumber })
        .from(students)
        .where(inArray(students.studentId, [...studentIds]));
      for (const s of found) names[s.id] = s.number ? `${s.name} (${s.number})` : s.name;
    }
    if (userIds.size > 0) {
      const found = await db
        .select({ id: users.userId, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.userId, [...userIds]));
      for (const u of found) names[u.id] = `${u.name} <${u.email}>`;
    }
  });
  return names;
}

/** The choices of the audit page's filters: every user, and the actions that occur in the log. */
export async function auditFilterOptions(): Promise<{
  actors: { userId: string; name: string; email: string }[];
  actions: string[];
}> {
  return runDb('audit.filterOptions', async (db) => {
    const actors = await db
      .select({ userId: users.userId, name: users.name, email: users.email })
      .from(users)
      .orderBy(asc(users.name));
    const actions = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
    return { actors, actions: actions.map((a) => a.action) };
  });
}
