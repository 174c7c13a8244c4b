/**
 * "This is <student>" on an unknown face: the stored probe embedding becomes a template of that
 * student (only when the running engine made it — another model's vector cannot be compared), the
 * student is optionally marked present for the session, and the face leaves the review queue.
 *
 * Only an admin's word makes a template. A lecturer's makes a suggestion that an admin approves or
 * declines: a template is recognised in every course, so one lecturer could otherwise plant a face
 * that marks a student present in other lecturers' classes.
 */
import 'server-only';
import { assertCourseAccess } from '@/lib/auth/access';
import type { SessionUser } from '@/lib/auth/session';
import { isStudentEnrolled } from '@/lib/data/courses';
import { decideSuggestion, findUnknownFace, writeAssignment } from '@/lib/data/unknown-face-review';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { engineIdentity, engineOptionsFromEnv } from '@/lib/face/engine-config';
import { parseEngineKey, sameEngine, type EngineIdentity } from '@/lib/face/engine-identity';

export const ASSIGN_REASON = 'assigned from unknown face';

type Actor = Pick<SessionUser, 'id' | 'role'>;

/** The unknown face with its session and course, after the role check (404 / 403). */
export async function getUnknownFaceForUser(user: Actor, unknownId: string) {
  const unknown = await findUnknownFace(unknownId);
  if (!unknown) throw new AppError('NOT_FOUND', 'Unknown face not found');
  // Faces seen outside a session belong to no course: only an admin may see them.
  if (!unknown.sessionId) {
    if (user.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin can review faces seen outside a session');
    return { unknown, session: null, course: null };
  }
  const { session, course } = await getSessionWithCourse(unknown.sessionId);
  assertCourseAccess(user, course);
  return { unknown, session, course };
}

export interface AssignResult {
  templateId: string | null;
  /** Why no template was made, when none was ('suggested': a lecturer's, waiting for an admin). */
  templateSkipped: 'no-embedding' | 'other-engine' | 'suggested' | null;
  attendanceId: string | null;
}

export async function assignUnknownFace(input: {
  user: Actor;
  unknownId: string;
  studentId: string;
  recordAttendance: boolean;
  engine?: EngineIdentity;
}): Promise<AssignResult> {
  const { unknown, session } = await getUnknownFaceForUser(input.user, input.unknownId);
  if (!session) throw new AppError('VALIDATION', 'This face was not seen during a session');
  if (unknown.reviewed) throw new AppError('CONFLICT', 'This face has already been reviewed');
  // Its embedding may be of a photo held up to the camera: it must not become anyone's template.
  if (unknown.kind === 'suspected_spoof')
    throw new AppError(
      'VALIDATION',
      'This face was held back as a suspected spoof: answer "This was real" or "This was a spoof" instead',
    );
  if (!(await isStudentEnrolled(session.courseId, input.studentId)))
    throw new AppError('VALIDATION', 'The student is not enrolled in this course');

  const engine = input.engine ?? engineIdentity(engineOptionsFromEnv(env()));
  const made = parseEngineKey(unknown.model);
  const usable = !unknown.embedding ? 'no-embedding' : sameEngine(made, engine) ? null : 'other-engine';
  const suggest = usable === null && input.user.role !== 'admin';
  const templateSkipped = suggest ? 'suggested' : usable;
  const written = await writeAssignment({
    unknownId: unknown.unknownId,
    studentId: input.studentId,
    actorUserId: input.user.id,
    template:
      templateSkipped === null && unknown.embedding
        ? { model: engine.model, modelVersion: engine.version, embedding: unknown.embedding }
        : null,
    suggest,
    attendance: input.recordAttendance
      ? { sessionId: session.sessionId, at: unknown.seenAt, reason: ASSIGN_REASON }
      : null,
    audit: {
      sessionId: session.sessionId,
      recordAttendance: input.recordAttendance,
      templateSkipped,
      madeBy: unknown.model,
    },
  });
  if (!written) throw new AppError('CONFLICT', 'This face has already been reviewed');
  return { ...written, templateSkipped };
}

/** An admin approves (the template is made from the stored vector) or declines a lecturer's suggestion. */
export async function decideTemplateSuggestion(input: {
  user: Actor;
  unknownId: string;
  approve: boolean;
  engine?: EngineIdentity;
}): Promise<{ templateId: string | null; templateSkipped: 'no-embedding' | 'other-engine' | null }> {
  if (input.user.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin can approve face templates');
  const unknown = await findUnknownFace(input.unknownId);
  if (!unknown) throw new AppError('NOT_FOUND', 'Unknown face not found');
  if (unknown.suggestion !== 'pending')
    throw new AppError('CONFLICT', 'There is no pending suggestion for this face (it was decided already)');
  const engine = input.engine ?? engineIdentity(engineOptionsFromEnv(env()));
  const templateSkipped = !unknown.embedding
    ? 'no-embedding'
    : sameEngine(parseEngineKey(unknown.model), engine)
      ? null
      : 'other-engine';
  const decided = await decideSuggestion({
    unknownId: unknown.unknownId,
    actorUserId: input.user.id,
    approve: input.approve,
    template:
      input.approve && templateSkipped === null && unknown.embedding
        ? { model: engine.model, modelVersion: engine.version, embedding: unknown.embedding }
        : null,
  });
  if (!decided) throw new AppError('CONFLICT', 'There is no pending suggestion for this face (it was decided already)');
  return { templateId: decided.templateId, templateSkipped: input.approve ? templateSkipped : null };
}
