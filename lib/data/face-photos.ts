import 'server-only';
import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { facePhotos, faceTemplates, unknownFaces, type FacePhoto, type PhotoQuality } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { insertAudit } from './audit';

export interface PhotoRecordInput {
  photoId: string;
  studentId: string;
  storageKey: string;
  contentSha256: string;
  quality: PhotoQuality | null;
  accepted: boolean;
  reason: string | null;
}

export interface TemplateRecordInput {
  model: string;
  modelVersion: string;
  dims: number;
  embedding: Buffer;
}

export type PhotoWithTemplate = { photo: FacePhoto; templateId: string | null };

/** The stored photo row; with `studentId`, only when it is that student's (ownership check for the API). */
export async function getPhoto(photoId: string, studentId?: string): Promise<FacePhoto | undefined> {
  return runDb('facePhotos.get', async (db) => {
    const [row] = await db
      .select()
      .from(facePhotos)
      .where(
        and(eq(facePhotos.photoId, photoId), studentId === undefined ? undefined : eq(facePhotos.studentId, studentId)),
      )
      .limit(1);
    return row;
  });
}

/** The photo of `studentId` with these exact bytes, and its template id when it was accepted. */
export async function findPhotoByHash(
  studentId: string,
  contentSha256: string,
): Promise<PhotoWithTemplate | undefined> {
  return runDb('facePhotos.findByHash', async (db) => {
    const [row] = await db
      .select({ photo: facePhotos, templateId: faceTemplates.templateId })
      .from(facePhotos)
      .leftJoin(faceTemplates, eq(faceTemplates.photoId, facePhotos.photoId))
      .where(and(eq(facePhotos.studentId, studentId), eq(facePhotos.contentSha256, contentSha256)))
      .limit(1);
    return row ? { photo: row.photo, templateId: row.templateId ?? null } : undefined;
  });
}

export async function listPhotosForStudent(studentId: string): Promise<FacePhoto[]> {
  return runDb('facePhotos.listForStudent', (db) =>
    db.select().from(facePhotos).where(eq(facePhotos.studentId, studentId)).orderBy(asc(facePhotos.createdAt)),
  );
}

/**
 * Writes the photo row and, when given, its template in one transaction: there is never an accepted
 * photo without its template, nor a template without its photo. A second upload of the same bytes for
 * the same student hits the UNIQUE (student_id, content_sha256) key and becomes a CONFLICT AppError.
 */
/**
 * Stores an enrolment photo and its template in one transaction, with a 'face_photo.enroll' audit
 * entry when `actorUserId` is given (null: a script; undefined: the caller audits nothing, e.g. a test fixture).
 */
export async function insertPhotoWithTemplate(
  photo: PhotoRecordInput,
  template: TemplateRecordInput | null,
  actorUserId?: string | null,
): Promise<{ templateId: string | null }> {
  const templateId = template ? crypto.randomUUID() : null;
  await runDb('facePhotos.insertWithTemplate', (db) =>
    db.transaction(async (tx) => {
      await tx.insert(facePhotos).values(photo);
      if (template && templateId) {
        await tx
          .insert(faceTemplates)
          .values({ templateId, studentId: photo.studentId, photoId: photo.photoId, ...template });
      }
      if (actorUserId !== undefined) {
        await insertAudit(tx, {
          actorUserId,
          action: 'face_photo.enroll',
          entity: 'student',
          entityId: photo.studentId,
          details: { photoId: photo.photoId, accepted: photo.accepted },
        });
      }
    }),
  );
  return { templateId };
}

/**
 * Deletes a photo row and the template made from it, with a 'face_photo.delete' audit entry when
 * `actorUserId` is given; returns the deleted row (its storage key).
 */
export async function deletePhotoRecord(photoId: string, actorUserId?: string | null): Promise<FacePhoto> {
  const photo = await getPhoto(photoId);
  if (!photo) throw new AppError('NOT_FOUND', `Photo ${photoId} not found`);
  await runDb('facePhotos.delete', (db) =>
    db.transaction(async (tx) => {
      await tx.delete(faceTemplates).where(eq(faceTemplates.photoId, photoId));
      await tx.delete(facePhotos).where(eq(facePhotos.photoId, photoId));
      if (actorUserId !== undefined) {
        await insertAudit(tx, {
          actorUserId,
          action: 'face_photo.delete',
          entity: 'student',
          entityId: photo.studentId,
          details: { photoId },
        });
      }
    }),
  );
  return photo;
}

export interface DeletedBiometrics {
  photos: number;
  templates: number;
  unknownFaces: number;
  /** Stored files to remove once the rows are gone. */
  storageKeys: string[];
}

/**
 * Removes every biometric row of a student in one transaction: enrolment photos, templates, and the
 * unknown-face crops a reviewer attributed to them or that were recognised as them and held back as
 * suspected spoofs (those hold the student's face and embedding too).
 */
export async function deleteBiometricRecords(
  studentId: string,
  actorUserId?: string | null,
): Promise<DeletedBiometrics> {
  return runDb('facePhotos.deleteBiometrics', (db) =>
    db.transaction(async (tx) => {
      const photos = await tx
        .select({ key: facePhotos.storageKey })
        .from(facePhotos)
        .where(eq(facePhotos.studentId, studentId));
      const unknown = await tx
        .select({ key: unknownFaces.storageKey })
        .from(unknownFaces)
        .where(
          and(
            or(eq(unknownFaces.studentId, studentId), eq(unknownFaces.matchedStudentId, studentId)),
            isNotNull(unknownFaces.storageKey),
          ),
        );
      const [templates] = await tx.delete(faceTemplates).where(eq(faceTemplates.studentId, studentId));
      await tx.delete(facePhotos).where(eq(facePhotos.studentId, studentId));
      await tx
        .delete(unknownFaces)
        .where(or(eq(unknownFaces.studentId, studentId), eq(unknownFaces.matchedStudentId, studentId)));
      const deleted = {
        photos: photos.length,
        templates: templates.affectedRows,
        unknownFaces: unknown.length,
        storageKeys: [...photos, ...unknown].map((r) => r.key),
      };
      // Given an actor, this is the privacy erasure itself ("Delete all biometric data"): audited here.
      if (actorUserId !== undefined) {
        const { storageKeys, ...counts } = deleted;
        await insertAudit(tx, {
          actorUserId,
          action: 'student.delete_biometrics',
          entity: 'student',
          entityId: studentId,
          details: { studentId, ...counts, files: storageKeys.length },
        });
      }
      return deleted;
    }),
  );
}
