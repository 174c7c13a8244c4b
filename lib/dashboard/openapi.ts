import { z } from 'zod';
import { createNotificationRouteBody } from '@/lib/notifications/routes';
import * as s from './schemas';
import { fileDisputeBody, resolveDisputeBody } from './student-schemas';

type Op = {
  summary: string;
  roles: string;
  body?: z.ZodType;
  query?: z.ZodType;
  ok?: string;
  content?: string;
  form?: Record<string, unknown>;
};

const files = { type: 'array', items: { type: 'string', format: 'binary' } };

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** Every JSON route: method, path, who may call it, and its zod schemas (the same objects the routes parse with). */
const ROUTES: Record<string, Record<string, Op>> = {
  '/api/students': {
    get: { summary: 'Search students (paged)', roles: 'admin', query: s.pageQuery },
    post: { summary: 'Create a student', roles: 'admin', body: s.createStudentBody, ok: '201' },
  },
  '/api/students/import': {
    post: {
      summary:
        'Roster import (multipart: "roster" CSV with student_number, name, email, courses; "archive" ZIP and/or "photos" files named by student number, e.g. S1001_2.jpg; "mode"). mode=preview: JSON per-row problems, nothing written. mode=import: application/x-ndjson lines start → progress (one per photo) → done (per-row result + result CSV) or error. Idempotent; audited',
      roles: 'admin',
      content: 'multipart/form-data',
      form: {
        roster: { type: 'string', format: 'binary' },
        archive: { type: 'string', format: 'binary' },
        photos: files,
        mode: { type: 'string', enum: ['preview', 'import'] },
      },
    },
  },
  '/api/students/{studentId}': {
    get: { summary: 'Student with photos, template count and attendance history', roles: 'admin' },
    patch: {
      summary: 'Edit name, student number, email (audited); 409 with `fields.studentNumber` for a number in use',
      roles: 'admin',
      body: s.updateStudentBody,
    },
    delete: {
      summary:
        'Delete the student: erases photos, templates and attributed unknown faces, removes enrolments and attendance (audited). 409 `details.cascade` when they have attendance, unless cascade=true',
      roles: 'admin',
      query: s.deleteQuery,
    },
  },
  '/api/students/{studentId}/photos': {
    post: {
      summary: 'Upload enrollment photos (multipart field "photos", several); a verdict per photo',
      roles: 'admin',
      content: 'multipart/form-data',
      form: { photos: files },
    },
  },
  '/api/students/{studentId}/photos/{photoId}': {
    get: { summary: 'Photo bytes (JPEG)', roles: 'admin' },
    delete: { summary: 'Delete a photo and its template', roles: 'admin', ok: '204' },
  },
  '/api/students/{studentId}/erasure': {
    post: {
      summary:
        "Confirm a student's own erasure request: their photos, templates and attributed crops are erased (audited); 409 without a pending request",
      roles: 'admin',
    },
  },
  '/api/students/{studentId}/biometrics': {
    delete: { summary: 'Delete all photos and templates of a student (audited)', roles: 'admin' },
  },
  '/api/courses': {
    get: { summary: 'Courses (lecturers: only their own)', roles: 'admin, lecturer' },
    post: { summary: 'Create a course', roles: 'admin', body: s.createCourseBody, ok: '201' },
  },
  '/api/courses/{courseId}': {
    get: { summary: 'A course', roles: 'admin, its lecturer' },
    patch: {
      summary: 'Update a course (code, name, room) / assign its lecturer',
      roles: 'admin',
      body: s.updateCourseBody,
    },
    delete: {
      summary:
        'Delete a course; one with sessions (and their attendance) only with cascade=true, else 409 with the counts (audited)',
      roles: 'admin',
      query: s.deleteQuery,
    },
  },
  '/api/courses/{courseId}/enrollments': {
    get: { summary: 'Enrolled students', roles: 'admin, its lecturer' },
    post: {
      summary: 'Enrol students in bulk by number or id: {added, alreadyEnrolled, notFound, summary}',
      roles: 'admin',
      body: s.bulkEnrollBody,
    },
  },
  '/api/courses/{courseId}/enrollments/{studentId}': {
    delete: {
      summary: 'Unenrol a student (past attendance stays; audited); 404 when not enrolled',
      roles: 'admin',
      ok: '204',
    },
  },
  '/api/courses/{courseId}/notifications': {
    get: {
      summary: "The course's notification routes (webhook / Slack / Telegram); secrets masked",
      roles: 'admin, its lecturer',
    },
    post: {
      summary: 'Add a notification route (events: session_closed, camera_offline, arrival)',
      roles: 'admin, its lecturer',
      body: createNotificationRouteBody,
      ok: '201',
    },
  },
  '/api/courses/{courseId}/notifications/{routeId}': {
    delete: { summary: 'Remove a notification route', roles: 'admin, its lecturer', ok: '204' },
  },
  '/api/courses/{courseId}/timetables': {
    get: { summary: "The course's weekly timetables with their session counts", roles: 'admin, its lecturer' },
    post: {
      summary:
        'Create a weekly timetable and its future sessions (times in timeZone, default CAMPUS_TIMEZONE); 409 with `details.dates` and `details.clashes` when any date overlaps another session in the same camera, room or course — then nothing is saved',
      roles: 'admin, its lecturer',
      body: s.createTimetableBody,
      ok: '201',
    },
  },
  '/api/courses/{courseId}/timetables/preview': {
    post: {
      summary: 'The dates a timetable would give (past and kept ones marked) and its clashes; writes nothing',
      roles: 'admin, its lecturer',
      body: s.previewTimetableBody,
    },
  },
  '/api/courses/{courseId}/timetables/{timetableId}': {
    patch: {
      summary:
        'Edit a timetable: only future sessions that never ran and have no attendance are moved, added or removed; 409 on clashes',
      roles: 'admin, its lecturer',
      body: s.updateTimetableBody,
    },
    delete: {
      summary: 'Delete a timetable and its future, never-run sessions (sessions that ran or have attendance stay)',
      roles: 'admin, its lecturer',
    },
  },
  '/api/sessions': {
    get: {
      summary: 'Sessions in a date range with counts',
      roles: 'admin, lecturer (own courses)',
      query: s.sessionRangeQuery,
    },
    post: { summary: 'Schedule a session', roles: 'admin, the course lecturer', body: s.createSessionBody, ok: '201' },
  },
  '/api/sessions/{sessionId}': {
    get: { summary: 'A session with its course', roles: 'admin, the course lecturer' },
    patch: { summary: 'Edit a session', roles: 'admin, the course lecturer', body: s.updateSessionBody },
  },
  '/api/sessions/{sessionId}/start': { post: { summary: 'Open the session now', roles: 'admin, the course lecturer' } },
  '/api/sessions/{sessionId}/stop': { post: { summary: 'Close the session now', roles: 'admin, the course lecturer' } },
  '/api/sessions/{sessionId}/attendance': {
    get: { summary: 'Roster and attendance rows', roles: 'admin, the course lecturer' },
    post: {
      summary: 'Manual mark with a reason (audited)',
      roles: 'admin, the course lecturer',
      body: s.manualMarkBody,
    },
  },
  '/api/sessions/{sessionId}/attendance/{attendanceId}': {
    delete: {
      summary: '"Not this person": remove a wrong attendance (audited)',
      roles: 'admin, the course lecturer',
      body: s.removeAttendanceBody,
      ok: '204',
    },
  },
  '/api/sessions/{sessionId}/events': {
    get: {
      summary: 'Server-Sent Events: `snapshot`, then `upsert` as rows change (DB polled every 500 ms)',
      roles: 'admin, the course lecturer',
      content: 'text/event-stream',
    },
  },
  '/api/sessions/{sessionId}/disputes': {
    get: {
      summary: "Students' disputes of their attendance in the session, open ones first",
      roles: 'admin, its lecturer',
    },
  },
  '/api/sessions/{sessionId}/disputes/{disputeId}': {
    post: {
      summary:
        'Resolve a dispute: accept marks the student present ("I was there") or absent ("that was not me") as a manual mark, or decline (audited); 409 when already resolved',
      roles: 'admin, its lecturer',
      body: resolveDisputeBody,
    },
  },
  '/api/me': {
    get: {
      summary:
        "The signed-in student's own courses, counted sessions with their status and time, and what data is held about them",
      roles: 'student',
    },
  },
  '/api/me/disputes': {
    post: {
      summary:
        'Dispute their own record in one counted session of their course ("was_there" or "not_me", a short text; audited)',
      roles: 'student',
      body: fileDisputeBody,
      ok: '201',
    },
  },
  '/api/me/data-copy': {
    get: {
      summary: 'A copy of their data: ZIP of my-data.json and their enrolment photos (audited)',
      roles: 'student',
    },
  },
  '/api/me/erasure': {
    post: {
      summary: 'Ask for their biometric data to be erased; an admin confirms (audited)',
      roles: 'student',
      ok: '202',
    },
  },
  '/api/sessions/{sessionId}/unknown': {
    get: { summary: 'Unknown faces seen in the session', roles: 'admin, the course lecturer' },
  },
  '/api/sessions/{sessionId}/unknown/{unknownId}': {
    patch: {
      summary: 'Mark an unknown face reviewed (optionally who it was)',
      roles: 'admin, the course lecturer',
      body: s.reviewUnknownBody,
    },
  },
  '/api/sessions/{sessionId}/unknown/{unknownId}/liveness': {
    post: {
      summary:
        'Verdict on a suspected spoof (liveness `block`): "real" records the student it was recognised as, "spoof" records nothing (audited)',
      roles: 'admin, the course lecturer',
      body: s.livenessReviewBody,
    },
  },
  '/api/sessions/{sessionId}/attendance/{attendanceId}/liveness': {
    post: {
      summary:
        'Verdict on an attendance marked "liveness doubtful" (liveness `flag`): "real" clears the mark, "spoof" makes it an absence (audited)',
      roles: 'admin, the course lecturer',
      body: s.livenessReviewBody,
    },
  },
  '/api/sessions/{sessionId}/mood': {
    get: {
      summary:
        'Class mood of the session: counts of sampled faces that looked happy, neutral, tired (eyes closed) or other, and their shares; never per student',
      roles: 'admin, the course lecturer',
    },
  },
  '/api/courses/{courseId}/class-mood': {
    patch: {
      summary: 'Turn class mood on or off for the course (opt-in, off by default; audited)',
      roles: 'admin, the course lecturer',
      body: s.classMoodBody,
    },
  },
  '/api/unknown-faces/{unknownId}/image': {
    get: {
      summary: 'The stored JPEG crop of an unknown face (no-store)',
      roles: "admin, the lecturer of the session's course",
      content: 'image/jpeg',
    },
  },
  '/api/unknown-faces/{unknownId}/assign': {
    post: {
      summary:
        '"This is <student>": optional manual attendance, reviewed; an admin\'s answer makes a template from the stored embedding (same engine only), a lecturer\'s only suggests one for an admin to approve; 409 when already reviewed',
      roles: "admin, the lecturer of the session's course",
      body: s.assignUnknownBody,
    },
  },
  '/api/demo': {
    delete: {
      summary:
        'Remove the demo data (exactly the rows `db:seed -- --demo` created: lecturer, courses, students with their photos, camera, sessions); real rows stay; audited',
      roles: 'admin',
    },
  },
  '/api/unknown-faces/suggestions': {
    get: {
      summary: "Lecturers' pending template suggestions (face, student, course, who suggested), newest first",
      roles: 'admin',
    },
  },
  '/api/unknown-faces/{unknownId}/suggestion': {
    post: {
      summary:
        "Approve (the template is made from the face's stored embedding) or decline a lecturer's suggestion; audited; 409 when not pending",
      roles: 'admin',
      body: s.decideSuggestionBody,
    },
  },
  '/api/cameras': {
    get: {
      summary:
        "Cameras with status, the worker holding each one's lease (workerId, leaseExpiresAt; null when none) and its stats, plus every registered worker with its health",
      roles: 'admin',
    },
    post: {
      summary:
        'Add a camera: a pull camera needs an http(s) streamUrl or snapshotUrl (400 in words otherwise, token null); a push camera gets its token and `firmwareConfig` (the config.h lines) in the response, once',
      roles: 'admin',
      body: s.createCameraBody,
      ok: '201',
    },
  },
  '/api/cameras/{cameraId}/token': {
    post: {
      summary: 'Rotate the push token (shown once; `firmwareConfig`: the config.h lines for a push camera)',
      roles: 'admin',
    },
  },
  '/api/cameras/{cameraId}/test': {
    post: {
      summary:
        '"Test connection" of a pull camera: the worker fetches one frame from its URL; 200 `{ok: true, image (data: JPEG with face boxes and widths), faces, report: {verdict none|ok|mixed|small, …}, summary}` or `{ok: false, error: {kind, message, detail (credentials stripped)}}`; 400 push camera or no URL; 503 worker unreachable',
      roles: 'admin',
    },
  },
  '/api/cameras/{cameraId}': {
    patch: {
      summary:
        'Edit a camera (name, room, mode, stream URL…); a change of mode or URL that leaves a pull camera without an http(s) URL is 400',
      roles: 'admin',
      body: s.updateCameraBody,
    },
    delete: {
      summary:
        'Delete a camera: past sessions and attendance stay; one that upcoming sessions use only with cascade=true (they lose their camera), else 409 (audited)',
      roles: 'admin',
      query: s.deleteQuery,
    },
  },
  '/api/cameras/{cameraId}/last-frame': {
    get: {
      summary:
        "The worker's last processed frame with face boxes and names (JPEG, no-store; memory only on the worker); 404 none yet or no worker holds the camera, 503 its worker unreachable",
      roles: 'admin',
      content: 'image/jpeg',
    },
  },
  '/api/reports': {
    get: {
      summary: 'Attendance rates per course and student; format=csv|xlsx to export',
      roles: 'admin, lecturer (own courses)',
      query: s.reportQuery,
    },
  },
  '/api/reports/matrix': {
    get: {
      summary:
        'Students × sessions of one course (P present, L late, E excused, A absent; started, non-cancelled sessions), rate per student and per session; format=csv|xlsx to export',
      roles: 'admin, the course lecturer',
      query: s.matrixQuery,
    },
  },
  '/api/audit': {
    get: {
      summary: 'Audit log with names (actor, student, course, camera), filtered by actor, action, from/to date; paged',
      roles: 'admin',
      query: s.auditQuery,
    },
  },
  '/api/users': {
    get: { summary: 'Dashboard users (admins and lecturers) with role, disabled_at and last sign-in', roles: 'admin' },
    post: {
      summary: 'Add a user; without `password` one is generated and returned once (`password` in the response)',
      roles: 'admin',
      body: s.createUserBody,
      ok: '201',
    },
  },
  '/api/users/{userId}': {
    patch: {
      summary:
        'Change name or role, or disable / enable (`disabled`); disabling ends their sessions at the next request; 409 for yourself or the last enabled admin (audited)',
      roles: 'admin',
      body: s.updateUserBody,
    },
  },
  '/api/users/{userId}/password': {
    post: {
      summary: "Set a user's password (or have one generated, returned once); ends all their sessions (audited)",
      roles: 'admin',
      body: s.setPasswordBody,
    },
  },
};

function queryParameters(schema: z.ZodType): unknown[] {
  const js = json(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema,
  }));
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(ROUTES)) {
    paths[path] = {};
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const [method, op] of Object.entries(ops)) {
      paths[path][method] = {
        summary: op.summary,
        description: `Roles: ${op.roles}. 401 when signed out, 403 for another role or another lecturer's course.`,
        parameters: [...pathParams, ...(op.query ? queryParameters(op.query) : [])],
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: json(op.body) } } } }
          : {}),
        ...(op.content === 'multipart/form-data'
          ? {
              requestBody: {
                required: true,
                content: { 'multipart/form-data': { schema: { type: 'object', properties: op.form ?? {} } } },
              },
            }
          : {}),
        responses: {
          [op.ok ?? '200']: {
            description: 'OK',
            ...(op.content === 'text/event-stream' ? { content: { 'text/event-stream': {} } } : {}),
          },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Face-recognition attendance API',
      version: '1.0.0',
      description: 'Session cookie auth (Auth.js); sign in at /login.',
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: {
                  type: 'string',
                  description: "A sentence in the caller's language (lang cookie, else Accept-Language: en or id)",
                },
                fields: {
                  type: 'object',
                  additionalProperties: { type: 'string' },
                  description: 'One sentence per request field that needs correcting',
                },
                details: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}

/** Paths and methods, for the route-matrix test to check every documented route exists. */
export function documentedRoutes(): { path: string; method: string; roles: string }[] {
  return Object.entries(ROUTES).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, roles: op.roles })),
  );
}
