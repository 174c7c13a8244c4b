/**
 * Enrolment photos → face templates. The one place that turns an uploaded photo into biometric rows;
 * the admin CLI (`students import`) and the dashboard both call it.
 *
 * Stable API (the dashboard depends on it):
 *   enrollStudentPhoto({ studentId, bytes, filename, engine, actorUserId?, storage? }): Promise<EnrollmentOutcome>
 *     Stores the photo (`photos/<studentId>/<photoId>.<ext>`), runs the quality gate, writes
 *     `face_photos` and — when accepted — `face_templates` in one transaction. Expected outcomes
 *     (no face, blurry, unreadable file…) are a `rejected` result, never an exception. The same bytes
 *     uploaded again for the same student return the first result with `duplicate: true`.
 *     Throws AppError NOT_FOUND for an unknown student.
 *   deleteStudentBiometrics(studentId, actorUserId, { storage? }): Promise<BiometricsDeletion>
 *     Photos, templates, attributed unknown-face crops and their files; one audit_log row; then, when
 *     scheduled backups are on, a fresh backup + prune (lib/backup) so backups stop carrying them.
 *   deletePhoto(photoId, { actorUserId?, storage? }): Promise<{ photoId, studentId }>
 */
import { randomUUID } from 'node:crypto';
import { backupAfterErasure } from '@/lib/backup/backups';
import {
  deleteBiometricRecords,
  deletePhotoRecord,
  findPhotoByHash,
  insertPhotoWithTemplate,
  type PhotoWithTemplate,
} from '@/lib/data/face-photos';
import { writeAudit } from '@/lib/data/audit';
import { getStudentOrThrow } from '@/lib/data/students';
import { AppError } from '@/lib/errors';
import { ImageDecodeError, type ImageErrorCode } from '@/lib/face/image';
import type { QualityReport, QualityVerdict } from '@/lib/face/quality';
import type { FaceBox, FaceTemplate } from '@/lib/face/types';
import { sha256Hex } from '@/lib/sha256';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import type { PhotoWarningWithMessage } from './photo-consistency';

/** What enrolment needs from the recognition engine: FaceEngine and FaceEnginePool both fit. */
export interface EnrollmentEngine {
  enrollmentTemplate(
    bytes: Uint8Array,
  ): Promise<{ verdict: QualityVerdict; template: FaceTemplate | null; width: number; height: number }>;
}

export type RejectionCode = Extract<QualityVerdict, { status: 'rejected' }>['code'] | ImageErrorCode;

export type EnrollmentOutcome =
  | {
      status: 'accepted';
      photoId: string;
      templateId: string;
      quality: QualityReport;
      box: FaceBox;
      duplicate: boolean;
      /**
       * Set by the callers that enrol a batch (upload, roster import) once it is stored: this photo does
       * not look like the student's other photos (photo-warnings.ts). The photo is enrolled all the same.
       */
      warning?: PhotoWarningWithMessage;
    }
  /** A rejected photo is not stored (no file, no row): `photoId` is null, except for photos stored as rejected before. */
  | {
      status: 'rejected';
      photoId: string | null;
      code: RejectionCode;
      reason: string;
      box?: FaceBox;
      duplicate: boolean;
    };

/**
 * One photo's result with the file it came from, as the upload API returns it and the CLI import
 * counts it; a photo refused before enrolment (too large to read) has only a code and a reason.
 */
export type PhotoResult = { filename: string } & (
  EnrollmentOutcome | { status: 'rejected'; code: RejectionCode; reason: string }
);

export interface EnrollPhotoInput {
  studentId: string;
  bytes: Uint8Array;
  /** Original file name; only its extension is used, when the bytes do not say the format. */
  filename: string;
  engine: EnrollmentEngine;
  actorUserId?: string | null;
  storage?: ObjectStorage;
}

/** Stored in `face_photos.quality`: enough to rebuild the outcome for a duplicate upload. */
type StoredQuality = {
  code?: RejectionCode;
  width?: number;
  height?: number;
  box?: FaceBox | null;
  report?: QualityReport | null;
};

const FORMATS = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
} as const;

/** File extension and content type from the magic bytes, else from the file name. */
export function photoFormat(bytes: Uint8Array, filename: string): { ext: string; contentType: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { ext: 'jpg', contentType: FORMATS.jpg };
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return { ext: 'png', contentType: FORMATS.png };
  if (
    Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return { ext: 'webp', contentType: FORMATS.webp };
  }
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'jpeg' || ext === 'jpg') return { ext: 'jpg', contentType: FORMATS.jpg };
  if (ext === 'png' || ext === 'webp') return { ext, contentType: FORMATS[ext] };
  return { ext: 'bin', contentType: 'application/octet-stream' };
}

/** Template bytes → the `dims` column: floats for embeddings, keypoint count for keypoint templates. */
export function templateDims(data: Uint8Array): number {
  const isKeypoints = data.length >= 12 && Buffer.from(data.subarray(0, 4)).toString('latin1') === 'FKPT';
  return isKeypoints ? data[8] | (data[9] << 8) : Math.floor(data.length / 4);
}

function fromStored(found: PhotoWithTemplate): EnrollmentOutcome {
  const { photo, templateId } = found;
  const q = (photo.quality ?? {}) as StoredQuality;
  if (photo.accepted && templateId && q.report && q.box) {
    return { status: 'accepted', photoId: photo.photoId, templateId, quality: q.report, box: q.box, duplicate: true };
  }
  return {
    status: 'rejected',
    photoId: photo.photoId,
    code: q.code ?? 'no-face',
    reason: photo.reason ?? (photo.accepted ? 'The template of this photo was removed.' : 'Rejected.'),
    ...(q.box ? { box: q.box } : {}),
    duplicate: true,
  };
}

type Analysis =
  | { accepted: true; template: FaceTemplate; report: QualityReport; box: FaceBox; width: number; height: number }
  | {
      accepted: false;
      code: RejectionCode;
      reason: string;
      box: FaceBox | null;
      report: QualityReport | null;
      width?: number;
      height?: number;
    };

async function analyze(engine: EnrollmentEngine, bytes: Uint8Array): Promise<Analysis> {
  try {
    const { verdict, template, width, height } = await engine.enrollmentTemplate(bytes);
    if (verdict.status === 'accepted') {
      if (!template) throw new Error('engine accepted a photo without a template');
      return { accepted: true, template, report: verdict.report, box: verdict.face.box, width, height };
    }
    return {
      accepted: false,
      code: verdict.code,
      reason: verdict.reason,
      box: verdict.face?.box ?? null,
      report: verdict.report,
      width,
      height,
    };
  } catch (err) {
    // An unreadable upload is an expected outcome; anything else is a bug.
    if (err instanceof ImageDecodeError)
      return { accepted: false, code: err.code, reason: err.message, box: null, report: null };
    throw err;
  }
}

export async function enrollStudentPhoto(input: EnrollPhotoInput): Promise<EnrollmentOutcome> {
  const { studentId, bytes, filename, engine } = input;
  const storage = input.storage ?? getStorage();
  await getStudentOrThrow(studentId);
  const sha = sha256Hex(bytes);
  const existing = await findPhotoByHash(studentId, sha);
  if (existing) return fromStored(existing);

  const a = await analyze(engine, bytes);
  if (!a.accepted) {
    // Nothing of a rejected upload is kept: the verdict goes back to the uploader, and the audit says it happened.
    if (input.actorUserId !== undefined) {
      await writeAudit({
        actorUserId: input.actorUserId,
        action: 'face_photo.enroll',
        entity: 'student',
        entityId: studentId,
        details: { photoId: null, accepted: false, code: a.code },
      });
    }
    return {
      status: 'rejected',
      photoId: null,
      code: a.code,
      reason: a.reason,
      ...(a.box ? { box: a.box } : {}),
      duplicate: false,
    };
  }
  const photoId = randomUUID();
  const { ext, contentType } = photoFormat(bytes, filename);
  const storageKey = `photos/${studentId}/${photoId}.${ext}`;
  const quality: StoredQuality = { width: a.width, height: a.height, box: a.box, report: a.report };
  await storage.put(storageKey, bytes, contentType);
  let templateId: string | null;
  try {
    ({ templateId } = await insertPhotoWithTemplate(
      { photoId, studentId, storageKey, contentSha256: sha, quality, accepted: true, reason: null },
      {
        model: a.template.model,
        modelVersion: a.template.version,
        dims: templateDims(a.template.data),
        embedding: Buffer.from(a.template.data),
      },
      input.actorUserId,
    ));
  } catch (err) {
    await storage.delete(storageKey);
    // A concurrent upload of the same bytes won the UNIQUE key: answer with its result.
    if (err instanceof AppError && err.code === 'CONFLICT') {
      const winner = await findPhotoByHash(studentId, sha);
      if (winner) return fromStored(winner);
    }
    throw err;
  }
  if (!templateId) throw new Error('an accepted photo was stored without its template');
  return { status: 'accepted', photoId, templateId, quality: a.report, box: a.box, duplicate: false };
}

export interface BiometricsDeletion {
  studentId: string;
  photos: number;
  templates: number;
  unknownFaces: number;
  files: number;
}

/**
 * Biometric rows first, files after: a crash in between leaves orphan files (swept here next time),
 * never rows pointing at nothing. With `actorUserId` the row deletion writes the erasure's audit
 * entry in its transaction; without, the caller audits (deleting the student). No backup: callers do that.
 */
export async function eraseBiometrics(
  studentId: string,
  storage: ObjectStorage,
  actorUserId?: string | null,
): Promise<Omit<BiometricsDeletion, 'studentId'>> {
  const rows = await deleteBiometricRecords(studentId, actorUserId);
  const keys = new Set([...rows.storageKeys, ...(await storage.list(`photos/${studentId}/`))]);
  for (const key of keys) await storage.delete(key);
  return { photos: rows.photos, templates: rows.templates, unknownFaces: rows.unknownFaces, files: keys.size };
}

/** Privacy erasure: every photo, template and stored face of a student, then one audit row. */
export async function deleteStudentBiometrics(
  studentId: string,
  actorUserId: string | null,
  opts: { storage?: ObjectStorage } = {},
): Promise<BiometricsDeletion> {
  const storage = opts.storage ?? getStorage();
  await getStudentOrThrow(studentId);
  const result = { studentId, ...(await eraseBiometrics(studentId, storage, actorUserId)) };
  await backupAfterErasure(storage);
  return result;
}

/** Removes one enrolment photo, its template and its file. Throws AppError NOT_FOUND if unknown. */
export async function deletePhoto(
  photoId: string,
  opts: { actorUserId?: string | null; storage?: ObjectStorage } = {},
): Promise<{ photoId: string; studentId: string }> {
  const storage = opts.storage ?? getStorage();
  const photo = await deletePhotoRecord(photoId, opts.actorUserId);
  await storage.delete(photo.storageKey);
  return { photoId, studentId: photo.studentId };
}
