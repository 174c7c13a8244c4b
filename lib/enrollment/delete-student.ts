/**
 * Deleting a student: the whole person goes — biometrics (photos and their files, templates, the
 * unknown-face crops attributed to them or held back as spoofs of them), enrolments, and their
 * attendance rows, which are part of the student row's record. Because that changes past reports,
 * a student who has attendance is only deleted with `cascade: true` (the dashboard asks first);
 * otherwise CONFLICT says how many rows would go and how to keep them ("Delete all biometric data"
 * erases the face data and keeps the academic record). One `student.delete` audit row keeps who it
 * was (name, number) and what went; a scheduled backup is refreshed so backups stop carrying them.
 */
import { backupAfterErasure } from '@/lib/backup/backups';
import { countAttendancesOfStudent, deleteStudentRow, getStudentOrThrow } from '@/lib/data/students';
import { AppError, localized } from '@/lib/errors';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import { eraseBiometrics } from './enroll-photo';

export interface StudentDeletion {
  studentId: string;
  photos: number;
  templates: number;
  unknownFaces: number;
  files: number;
  attendances: number;
  enrollments: number;
}

export async function deleteStudent(
  studentId: string,
  actorUserId: string | null,
  opts: { cascade?: boolean; storage?: ObjectStorage } = {},
): Promise<StudentDeletion> {
  const storage = opts.storage ?? getStorage();
  const student = await getStudentOrThrow(studentId);
  const attendances = await countAttendancesOfStudent(studentId);
  if (attendances > 0 && !opts.cascade) {
    throw new AppError('CONFLICT', localized('error.studentHasAttendance', { name: student.name, n: attendances }), {
      details: { attendances, cascade: true },
    });
  }
  const biometrics = await eraseBiometrics(studentId, storage);
  const removed = await deleteStudentRow(studentId, {
    actorUserId,
    details: { name: student.name, studentNumber: student.studentNumber, ...biometrics },
  });
  const result = { studentId, ...biometrics, ...removed };
  await backupAfterErasure(storage);
  return result;
}
