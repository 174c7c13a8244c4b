/**
 * Shapes lib/data takes or returns that the services above it (lib/backup, lib/notifications) also
 * use. They live here so lib/data never imports from those services; pure (no I/O, not
 * server-only), so the pure modules up there can import them too.
 */
import { z } from 'zod';
import type { NotificationEventKind, NotificationRouteRow } from '@/db/schema';

const iso = z.iso.datetime();
const id = z.string().min(1).max(36);

const studentRow = z.object({
  student_id: id,
  student_number: z.string().nullable(),
  name: z.string(),
  photo: z.string().nullable(),
  email: z.string().nullable(),
  created_at: iso,
  updated_at: iso,
});
const courseRow = z.object({
  course_id: id,
  code: z.string(),
  course_name: z.string(),
  room: z.string().nullable(),
  created_at: iso,
  updated_at: iso,
});
const enrollmentRow = z.object({ enrollment_id: id, student_id: id, course_id: id, created_at: iso });
const photoRow = z.object({
  photo_id: id,
  student_id: id,
  storage_key: z.string(),
  quality: z.record(z.string(), z.unknown()).nullable(),
  accepted: z.boolean(),
  reason: z.string().nullable(),
  content_sha256: z.string().nullable(),
  created_at: iso,
});
const templateRow = z.object({
  template_id: id,
  student_id: id,
  photo_id: id.nullable(),
  model: z.string(),
  model_version: z.string(),
  dims: z.number().int(),
  embedding_base64: z.string(),
  embedding_sha256: z.string().length(64),
  created_at: iso,
});

/** The rows of a face-feature backup, as lib/data reads and restores them (the file format is lib/backup/backup-format). */
export const backupRowsShape = {
  students: z.array(studentRow),
  courses: z.array(courseRow),
  course_enrollments: z.array(enrollmentRow),
  face_photos: z.array(photoRow),
  face_templates: z.array(templateRow),
};

export type BackupRows = z.infer<z.ZodObject<typeof backupRowsShape>>;

export type AttendanceCounts = { enrolled: number; present: number; late: number; absent: number };

/** A new notification route as lib/data stores it (lib/notifications/routes validates it first). */
export type NotificationRouteInput = {
  channel: NotificationRouteRow['channel'];
  target: string;
  /** The webhook HMAC secret or the Telegram bot token; none for Slack. */
  secret?: string;
  events?: readonly NotificationEventKind[];
  enabled?: boolean;
};
