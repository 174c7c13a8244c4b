import {
  boolean,
  double,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  uniqueIndex,
  varchar,
  type AnyMySqlColumn,
} from 'drizzle-orm/mysql-core';
import { cameras } from './cameras';
import { blob, createdAt, jsonColumn, utcDatetime, uuidPk, uuidRef } from './columns';
import { classSessions } from './sessions';
import { students } from './students';
import { users } from './users';

export const TEMPLATE_SUGGESTION_STATES = ['pending', 'approved', 'declined'] as const;
export type TemplateSuggestionState = (typeof TEMPLATE_SUGGESTION_STATES)[number];

/** Quality checks recorded for an enrolment photo (filled by lib/face). */
export type PhotoQuality = Record<string, unknown>;

export const facePhotos = mysqlTable(
  'face_photos',
  {
    photoId: uuidPk('photo_id'),
    studentId: uuidRef('student_id')
      .notNull()
      .references(() => students.studentId, { onDelete: 'cascade' }),
    storageKey: varchar('storage_key', { length: 512 }).notNull(),
    quality: jsonColumn<PhotoQuality>('quality'),
    accepted: boolean('accepted').notNull().default(false),
    reason: varchar('reason', { length: 255 }),
    /** sha256 of the uploaded bytes (hex): the same photo uploaded twice for a student is enrolled once. */
    contentSha256: varchar('content_sha256', { length: 64 }),
    createdAt: createdAt(),
  },
  (t) => [
    index('face_photos_student_idx').on(t.studentId),
    uniqueIndex('face_photos_student_sha_unique').on(t.studentId, t.contentSha256),
  ],
);

export const faceTemplates = mysqlTable(
  'face_templates',
  {
    templateId: uuidPk('template_id'),
    studentId: uuidRef('student_id')
      .notNull()
      .references(() => students.studentId, { onDelete: 'cascade' }),
    photoId: uuidRef('photo_id').references((): AnyMySqlColumn => facePhotos.photoId, { onDelete: 'set null' }),
    model: varchar('model', { length: 64 }).notNull(),
    modelVersion: varchar('model_version', { length: 64 }).notNull(),
    dims: int('dims').notNull(),
    /** Float32 little-endian, dims * 4 bytes (see float32ToBuffer). */
    embedding: blob('embedding').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('face_templates_student_model_idx').on(t.studentId, t.model)],
);

export const UNKNOWN_FACE_KINDS = ['unknown', 'suspected_spoof'] as const;
export type UnknownFaceKind = (typeof UNKNOWN_FACE_KINDS)[number];

export const unknownFaces = mysqlTable(
  'unknown_faces',
  {
    unknownId: uuidPk('unknown_id'),
    sessionId: uuidRef('session_id').references(() => classSessions.sessionId, { onDelete: 'set null' }),
    cameraId: uuidRef('camera_id').references(() => cameras.cameraId, { onDelete: 'set null' }),
    storageKey: varchar('storage_key', { length: 512 }).notNull(),
    embedding: blob('embedding'),
    model: varchar('model', { length: 64 }),
    seenAt: utcDatetime('seen_at').notNull(),
    reviewed: boolean('reviewed').notNull().default(false),
    reviewedBy: uuidRef('reviewed_by').references(() => users.userId, { onDelete: 'set null' }),
    /** Set when a reviewer says who it was. */
    studentId: uuidRef('student_id').references(() => students.studentId, { onDelete: 'set null' }),
    /** `suspected_spoof`: recognised as `matched_student_id` but judged a photo or screen (camera liveness `block`). */
    kind: mysqlEnum('kind', UNKNOWN_FACE_KINDS).notNull().default('unknown'),
    matchedStudentId: uuidRef('matched_student_id').references(() => students.studentId, { onDelete: 'set null' }),
    livenessScore: double('liveness_score'),
    /**
     * A lecturer's "This is <student>" makes no template: it suggests one, and an admin approves
     * (the template is made then) or declines. Null: nothing suggested (or an admin assigned it).
     */
    suggestion: mysqlEnum('suggestion', TEMPLATE_SUGGESTION_STATES),
    suggestionDecidedBy: uuidRef('suggestion_decided_by').references(() => users.userId, { onDelete: 'set null' }),
    suggestionDecidedAt: utcDatetime('suggestion_decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('unknown_faces_suggestion_idx').on(t.suggestion),
    index('unknown_faces_session_seen_idx').on(t.sessionId, t.seenAt),
    index('unknown_faces_reviewed_idx').on(t.reviewed, t.seenAt),
  ],
);

export type FacePhoto = typeof facePhotos.$inferSelect;
export type NewFacePhoto = typeof facePhotos.$inferInsert;
export type FaceTemplate = typeof faceTemplates.$inferSelect;
export type NewFaceTemplate = typeof faceTemplates.$inferInsert;
export type UnknownFace = typeof unknownFaces.$inferSelect;
export type NewUnknownFace = typeof unknownFaces.$inferInsert;
