/**
 * A student's data-subject requests. The data copy (as for a GDPR Art. 15 access request): one ZIP with
 * `my-data.json` (their row, enrolments, attendance, photo and template records, disputes) and their
 * enrolment photos under `photos/`. Left out on purpose: template vectors (a biometric key, not
 * something to hand around as a file), unknown-face crops (they may show other people), camera frames
 * and liveness readings. The erasure: the student asks, an admin confirms, and the existing biometric
 * erasure runs (deleteStudentBiometrics: photos, files, templates, attributed crops; audited), then the
 * request is closed with its own audit entry.
 */
import JSZip from 'jszip';
import { writeAudit } from '@/lib/data/audit';
import { closeErasureRequest } from '@/lib/data/student-accounts';
import { readMyDataRows } from '@/lib/data/student-self';
import { getStudentOrThrow } from '@/lib/data/students';
import { AppError } from '@/lib/errors';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import { deleteStudentBiometrics } from './enroll-photo';

export async function buildMyDataCopy(
  studentId: string,
  opts: { storage?: ObjectStorage; now?: Date } = {},
): Promise<{ zip: Buffer; fileName: string }> {
  const storage = opts.storage ?? getStorage();
  const rows = await readMyDataRows(studentId);
  if (!rows) throw new AppError('NOT_FOUND', 'Student not found');
  const zip = new JSZip();
  const photos = [];
  for (const p of rows.photos) {
    const bytes = await storage.get(p.storageKey);
    const ext = p.storageKey.split('.').pop() ?? 'jpg';
    const file = bytes ? `photos/${p.photoId}.${ext}` : null;
    if (bytes && file) zip.file(file, bytes);
    photos.push({ photoId: p.photoId, file, sha256: p.contentSha256, enrolledAt: p.createdAt });
  }
  const { student } = rows;
  const copy = {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    student: {
      studentId: student.studentId,
      studentNumber: student.studentNumber,
      name: student.name,
      email: student.email,
      createdAt: student.createdAt,
      erasureRequestedAt: student.erasureRequestedAt,
    },
    enrolments: rows.enrolments,
    attendance: rows.attendance,
    photos,
    templates: rows.templates,
    disputes: rows.disputes,
    notes: [
      'Face templates are listed, not copied: each is a number vector computed from one of the photos above.',
      'Unknown-face crops, camera frames and liveness readings are not part of this copy.',
    ],
  };
  zip.file('my-data.json', JSON.stringify(copy, null, 2));
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  // Reading changes no row: the copy is audited on its own (what went out, not its contents).
  await writeAudit({
    actorUserId: null,
    action: 'student.data_copy',
    entity: 'student',
    entityId: studentId,
    details: { by: 'student', photos: photos.length, attendance: rows.attendance.length, bytes: buffer.length },
  });
  const label = (student.studentNumber ?? student.studentId).replace(/[^\w-]/g, '_');
  return { zip: buffer, fileName: `my-data-${label}.zip` };
}

/** An admin confirms a student's erasure request: the biometric erasure runs, then the request closes (audited). */
export async function confirmErasure(
  studentId: string,
  actorUserId: string,
  opts: { storage?: ObjectStorage } = {},
): Promise<{ photos: number; templates: number; unknownFaces: number; files: number }> {
  const student = await getStudentOrThrow(studentId);
  if (!student.erasureRequestedAt) throw new AppError('CONFLICT', 'This student has no pending erasure request');
  const { studentId: _id, ...erased } = await deleteStudentBiometrics(studentId, actorUserId, opts);
  await closeErasureRequest(studentId, {
    actorUserId,
    action: 'student.erasure_confirm',
    details: { requestedAt: student.erasureRequestedAt.toISOString(), ...erased },
  });
  return erased;
}
