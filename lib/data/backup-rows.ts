import 'server-only';
import { asc, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { courseEnrollments, courses, facePhotos, faceTemplates, students } from '@/db/schema';
import { sha256Hex } from '@/lib/sha256';
import type { BackupRows } from './types';

const iso = (d: Date) => d.toISOString();
const CHUNK = 500;

/**
 * Everything a face-feature backup holds, read in one REPEATABLE READ transaction so students,
 * photos and templates are one consistent snapshot even while enrolment goes on.
 */
export async function readBackupRows(): Promise<BackupRows> {
  return runDb('backup.read', (db) =>
    db.transaction(
      async (tx) => {
        const s = await tx.select().from(students).orderBy(asc(students.studentId));
        const c = await tx.select().from(courses).orderBy(asc(courses.courseId));
        const e = await tx.select().from(courseEnrollments).orderBy(asc(courseEnrollments.enrollmentId));
        const p = await tx.select().from(facePhotos).orderBy(asc(facePhotos.photoId));
        const t = await tx.select().from(faceTemplates).orderBy(asc(faceTemplates.templateId));
        return {
          students: s.map((r) => ({
            student_id: r.studentId,
            student_number: r.studentNumber,
            name: r.name,
            photo: r.photo,
            email: r.email,
            created_at: iso(r.createdAt),
            updated_at: iso(r.updatedAt),
          })),
          // Lecturers (users) are not part of a face-feature backup: restored courses have none.
          courses: c.map((r) => ({
            course_id: r.courseId,
            code: r.code,
            course_name: r.courseName,
            room: r.room,
            created_at: iso(r.createdAt),
            updated_at: iso(r.updatedAt),
          })),
          course_enrollments: e.map((r) => ({
            enrollment_id: r.enrollmentId,
            student_id: r.studentId,
            course_id: r.courseId,
            created_at: iso(r.createdAt),
          })),
          face_photos: p.map((r) => ({
            photo_id: r.photoId,
            student_id: r.studentId,
            storage_key: r.storageKey,
            quality: r.quality,
            accepted: r.accepted,
            reason: r.reason,
            content_sha256: r.contentSha256,
            created_at: iso(r.createdAt),
          })),
          face_templates: t.map((r) => ({
            template_id: r.templateId,
            student_id: r.studentId,
            photo_id: r.photoId,
            model: r.model,
            model_version: r.modelVersion,
            dims: r.dims,
            embedding_base64: r.embedding.toString('base64'),
            embedding_sha256: sha256Hex(r.embedding),
            created_at: iso(r.createdAt),
          })),
        };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    ),
  );
}

/** Rows already in the tables a restore writes; a restore only goes into an empty database. */
export async function countFaceDataRows(): Promise<{ students: number; courses: number; templates: number }> {
  return runDb('backup.count', async (db) => {
    const n = async (table: typeof students | typeof courses | typeof faceTemplates) =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(table))[0]?.n ?? 0);
    return { students: await n(students), courses: await n(courses), templates: await n(faceTemplates) };
  });
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Inserts a backup's rows with their original ids and timestamps, all or nothing. */
export async function insertBackupRows(rows: BackupRows): Promise<void> {
  const d = (s: string) => new Date(s);
  await runDb('backup.restore', (db) =>
    db.transaction(async (tx) => {
      for (const part of chunks(rows.students)) {
        await tx.insert(students).values(
          part.map((r) => ({
            studentId: r.student_id,
            studentNumber: r.student_number,
            name: r.name,
            photo: r.photo,
            email: r.email,
            createdAt: d(r.created_at),
            updatedAt: d(r.updated_at),
          })),
        );
      }
      for (const part of chunks(rows.courses)) {
        await tx.insert(courses).values(
          part.map((r) => ({
            courseId: r.course_id,
            code: r.code,
            courseName: r.course_name,
            room: r.room,
            lecturerId: null,
            createdAt: d(r.created_at),
            updatedAt: d(r.updated_at),
          })),
        );
      }
      for (const part of chunks(rows.course_enrollments)) {
        await tx.insert(courseEnrollments).values(
          part.map((r) => ({
            enrollmentId: r.enrollment_id,
            studentId: r.student_id,
            courseId: r.course_id,
            createdAt: d(r.created_at),
          })),
        );
      }
      for (const part of chunks(rows.face_photos)) {
        await tx.insert(facePhotos).values(
          part.map((r) => ({
            photoId: r.photo_id,
            studentId: r.student_id,
            storageKey: r.storage_key,
            quality: r.quality,
            accepted: r.accepted,
            reason: r.reason,
            contentSha256: r.content_sha256,
            createdAt: d(r.created_at),
          })),
        );
      }
      for (const part of chunks(rows.face_templates)) {
        await tx.insert(faceTemplates).values(
          part.map((r) => ({
            templateId: r.template_id,
            studentId: r.student_id,
            photoId: r.photo_id,
            model: r.model,
            modelVersion: r.model_version,
            dims: r.dims,
            embedding: Buffer.from(r.embedding_base64, 'base64'),
            createdAt: d(r.created_at),
          })),
        );
      }
    }),
  );
}
