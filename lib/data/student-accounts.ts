/**
 * Students as people who sign in (campus single sign-on, lib/auth/oidc.ts): finding the row a campus
 * person links to, the state their session is checked against, and their own erasure request, which
 * waits for an admin (lib/enrollment/student-erasure.ts runs it).
 */
import 'server-only';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { facePhotos, faceTemplates, students, type Student } from '@/db/schema';
import { audited } from './audit';

/**
 * The students a campus sign-in links to: by student number when the IdP sends one (OIDC_STUDENT_NUMBER_CLAIM),
 * else by e-mail (case-insensitive). More than one row means the link is ambiguous, and the caller refuses.
 */
export async function findStudentsForSignIn(by: { studentNumber: string } | { email: string }): Promise<Student[]> {
  return runDb('studentAccounts.find', (db) =>
    db
      .select()
      .from(students)
      .where(
        'studentNumber' in by
          ? eq(students.studentNumber, by.studentNumber)
          : eq(sql`lower(trim(${students.email}))`, by.email.trim().toLowerCase()),
      )
      .limit(2),
  );
}

/** A signed-in student's session check (lib/auth/session-check.ts): their row, or undefined once deleted. */
export async function getStudentAuthState(studentId: string) {
  const [row] = await runDb('studentAccounts.authState', (db) =>
    db
      .select({ name: students.name, email: students.email, tokenVersion: students.sessionVersion })
      .from(students)
      .where(eq(students.studentId, studentId))
      .limit(1),
  );
  if (!row) return undefined;
  return { ...row, email: row.email ?? '', role: 'student' as const, disabledAt: null };
}

/** The student's own request to erase their biometrics (idempotent: a pending request keeps its first time). Audited. */
export async function requestErasure(studentId: string, now = new Date()): Promise<Date> {
  return audited(
    'studentAccounts.requestErasure',
    {
      actorUserId: null,
      action: 'student.erasure_request',
      entity: 'student',
      entityId: studentId,
      details: { by: 'student' },
    },
    async (tx) => {
      await tx
        .update(students)
        .set({ erasureRequestedAt: sql`COALESCE(${students.erasureRequestedAt}, ${now})` })
        .where(eq(students.studentId, studentId));
      const [row] = await tx
        .select({ at: students.erasureRequestedAt })
        .from(students)
        .where(eq(students.studentId, studentId));
      return row?.at ?? now;
    },
  );
}

export interface ErasureRequest {
  studentId: string;
  name: string;
  studentNumber: string | null;
  requestedAt: Date;
  photos: number;
  templates: number;
}

/** Pending erasure requests, oldest first, with what an erasure would remove (for the admins' list). */
export async function listErasureRequests(): Promise<ErasureRequest[]> {
  return runDb('studentAccounts.erasureRequests', async (db) => {
    const rows = await db
      .select({
        studentId: students.studentId,
        name: students.name,
        studentNumber: students.studentNumber,
        requestedAt: students.erasureRequestedAt,
        photos: sql<number>`(select count(*) from ${facePhotos} where ${facePhotos.studentId} = ${students.studentId})`,
        templates: sql<number>`(select count(*) from ${faceTemplates} where ${faceTemplates.studentId} = ${students.studentId})`,
      })
      .from(students)
      .where(isNotNull(students.erasureRequestedAt))
      .orderBy(asc(students.erasureRequestedAt))
      .limit(500);
    return rows.map((r) => ({
      ...r,
      requestedAt: r.requestedAt!,
      photos: Number(r.photos),
      templates: Number(r.templates),
    }));
  });
}

/** Ends a pending request once an admin has run the erasure (or declined it), with its audit entry. */
export async function closeErasureRequest(
  studentId: string,
  outcome: {
    actorUserId: string;
    action: 'student.erasure_confirm' | 'student.erasure_decline';
    details: Record<string, unknown>;
  },
): Promise<void> {
  await audited(
    'studentAccounts.closeErasure',
    {
      actorUserId: outcome.actorUserId,
      action: outcome.action,
      entity: 'student',
      entityId: studentId,
      details: outcome.details,
    },
    async (tx) => {
      await tx
        .update(students)
        .set({ erasureRequestedAt: null })
        .where(and(eq(students.studentId, studentId), isNotNull(students.erasureRequestedAt)));
    },
  );
}
