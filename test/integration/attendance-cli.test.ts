/**
 * The admin CLI end to end as a child process (`tsx scripts/attendance.ts`), against this file's
 * throwaway database, with photos stored in a temp DATA_DIR. Photos are symlinked from ../shared/faces.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAttendance } from '@/lib/data/attendances';
import { findCameraByName } from '@/lib/data/cameras';
import { listEnrolledStudents } from '@/lib/data/courses';
import { listPhotosForStudent } from '@/lib/data/face-photos';
import { countTemplatesForStudent } from '@/lib/data/face-templates';
import { listStudents } from '@/lib/data/students';
import { verifyPushToken } from '@/lib/devices/push-token';
import { makeStudent } from '@/test/factories';
import { REPO, runAttendanceCli, type CliRun } from '@/test/helpers/attendance-cli';
import { useThrowawayDatabase } from './throwaway-db';
import { skipUnlessCi } from '@/test/helpers/needs';

const LFW = path.resolve(REPO, '../shared/faces/lfw-dev/known');
const PEOPLE = ['Al_Gore', 'Ai_Sugiyama', 'Alastair_Campbell'];
const hasFaces = PEOPLE.every((p) => existsSync(path.join(LFW, p)));
skipUnlessCi(!hasFaces, `[attendance-cli.test] ${LFW} is absent: students import on real photos is skipped`);

const db = useThrowawayDatabase();
let tmp: string;

type Run = CliRun;
const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  runAttendanceCli(args, { DATABASE_URL: db.url(), DATA_DIR: path.join(tmp, 'data'), ...env });
const json = (r: Run) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const noStack = (r: Run) => expect(r.stderr).not.toMatch(/^\s+at .+[:(]/m);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'attendance-cli-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('attendance CLI: errors', () => {
  it.each([
    [[], /no command|Usage/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['students', 'import'], /--dir is required/],
    [
      [
        'sessions',
        'add',
        '--course',
        'X',
        '--camera',
        'c',
        '--start',
        '2025-01-01T10:00Z',
        '--end',
        '2025-01-01T09:00Z',
      ],
      /--end must be after --start/,
    ],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r);
  });

  it('an unknown course exits 1 with the message (JSON error on stdout with --json)', async () => {
    const r = await cli(['enroll', '--course', 'NOPE', '--all', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'attendance: Unknown course "NOPE" (create it with: courses add --code NOPE --name NAME)',
    );
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('Unknown course') },
    });
  });

  it('an unreachable database exits 1 with one line, no stack', async () => {
    const r = await cli(['courses', 'add', '--code', 'A', '--name', 'B'], {
      DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^attendance: cannot reach the database at mysql:\/\/root@127\.0\.0\.1:1\/nowhere \(ECONNREFUSED\)/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('attendance CLI: courses, cameras, sessions, attendance', () => {
  it(
    'courses add is idempotent on the code; cameras add prints a working token once; sessions add; attendance list',
    { timeout: 180_000 },
    async () => {
      const course = json(await cli(['courses', 'add', '--code', 'CS101', '--name', 'Intro', '--json']));
      expect(course).toEqual({ course_id: expect.any(String), code: 'CS101' });
      expect(json(await cli(['courses', 'add', '--code', 'CS101', '--name', 'Other', '--json']))).toEqual(course);

      const cam = json(await cli(['cameras', 'add', '--name', 'cam-101', '--room', 'A1', '--json']));
      expect(cam).toEqual({ camera_id: expect.any(String), token: expect.stringMatching(/^cam_/) });
      const stored = await findCameraByName('cam-101');
      expect(stored).toMatchObject({
        cameraId: cam.camera_id,
        mode: 'push',
        room: 'A1',
        tokenPrefix: cam.token.slice(0, 12),
      });
      expect(verifyPushToken(cam.token, stored?.tokenHash)).toBe(true);
      const again = await cli(['cameras', 'add', '--name', 'cam-101', '--json']);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/exists; use: cameras rotate-token/);

      const rotated = json(await cli(['cameras', 'rotate-token', '--name', 'cam-101', '--json']));
      expect(rotated.camera_id).toBe(cam.camera_id);
      const afterRotate = await findCameraByName('cam-101');
      expect(verifyPushToken(cam.token, afterRotate?.tokenHash)).toBe(false);
      expect(verifyPushToken(rotated.token, afterRotate?.tokenHash)).toBe(true);

      const unknownCam = await cli([
        'sessions',
        'add',
        '--course',
        'CS101',
        '--camera',
        'nope',
        '--start',
        '2025-03-01T09:00:00Z',
        '--end',
        '2025-03-01T10:00:00Z',
      ]);
      expect(unknownCam.code).toBe(1);
      expect(unknownCam.stderr).toMatch(/Unknown camera "nope"/);

      const session = json(
        await cli([
          'sessions',
          'add',
          '--course',
          'CS101',
          '--camera',
          'cam-101',
          '--start',
          '2025-03-01T09:00:00Z',
          '--end',
          '2025-03-01T10:30:00Z',
          '--json',
        ]),
      );
      expect(session).toEqual({ session_id: expect.any(String) });
      expect(json(await cli(['attendance', 'list', '--session', session.session_id, '--json']))).toEqual([]);

      const student = await makeStudent({ name: 'Ada Lovelace' });
      await recordAttendance({
        sessionId: session.session_id,
        studentId: student.studentId,
        seenAt: new Date('2025-03-01T09:03:00Z'),
        confidence: 0.82,
      });
      expect(json(await cli(['attendance', 'list', '--session', session.session_id, '--json']))).toEqual([
        {
          student_id: student.studentId,
          name: 'Ada Lovelace',
          timestamp: '2025-03-01T09:03:00.000Z',
          status: 'present',
          confidence: 0.82,
        },
      ]);
      // The CLI's own --student ID also takes the student number.
      expect(
        json(await cli(['students', 'delete-biometrics', '--student', student.studentNumber ?? '', '--json'])),
      ).toMatchObject({ student_id: student.studentId, photos: 0 });
      const missing = await cli(['attendance', 'list', '--session', 'nope', '--json']);
      expect(missing.code).toBe(1);
    },
  );
});

describe.skipIf(!hasFaces)('attendance CLI: students import on real photos', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'students');
    for (const person of PEOPLE) {
      await mkdir(path.join(dir, person), { recursive: true });
      for (const f of (await readdir(path.join(LFW, person))).sort().slice(0, 3))
        await symlink(path.join(LFW, person, f), path.join(dir, person, f));
    }
    await writeFile(
      path.join(dir, 'Al_Gore', 'student.json'),
      JSON.stringify({ student_id: 'S-0001', student_number: '1001' }),
    );
    await writeFile(path.join(dir, PEOPLE[1], 'notes.txt'), 'not a photo: ignored');
    const wall = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#5a8' } })
      .jpeg()
      .toBuffer();
    await writeFile(path.join(dir, PEOPLE[1], 'wall.jpg'), wall);
  });

  it(
    'enrols every student once, reports rejections, and a second run duplicates nothing',
    { timeout: 180_000 },
    async () => {
      const first = json(await cli(['students', 'import', '--dir', dir, '--course', 'CS101', '--json']));
      expect(first.enrolled.map((s: { name: string }) => s.name).sort()).toEqual([...PEOPLE].sort());
      expect(first.enrolled.find((s: { name: string }) => s.name === 'Al_Gore').student_id).toBe('S-0001');
      expect(first.rejected).toContainEqual({ file: `${PEOPLE[1]}/wall.jpg`, reason: 'No face found in the photo.' });
      const accepted = first.enrolled.reduce((n: number, s: { photos: number }) => n + s.photos, 0);
      expect(accepted + first.rejected.length).toBe(10); // 9 LFW photos + the wall; notes.txt is not a photo
      for (const r of first.rejected) expect(r.reason.length).toBeGreaterThan(5);

      const second = json(await cli(['students', 'import', '--dir', dir, '--course', 'CS101', '--json']));
      expect(second).toEqual(first);
      const imported = (await listStudents()).filter((s) => (PEOPLE as string[]).includes(s.name));
      expect(imported).toHaveLength(3);
      for (const s of first.enrolled) {
        // Only accepted photos are stored: the wall is rejected and not kept.
        expect(await listPhotosForStudent(s.student_id)).toHaveLength(s.photos);
        expect(await countTemplatesForStudent(s.student_id)).toBe(s.photos);
      }
      const course = json(await cli(['courses', 'add', '--code', 'CS101', '--name', 'Intro', '--json']));
      expect((await listEnrolledStudents(course.course_id)).map((s) => s.name).sort()).toEqual([...PEOPLE].sort());
      expect(json(await cli(['enroll', '--course', 'CS101', '--student', 'S-0001', '--json']))).toEqual({
        course_id: course.course_id,
        enrolled: 0,
        already_enrolled: 1,
      });
      const all = json(await cli(['enroll', '--course', 'CS101', '--all', '--json']));
      expect(all.enrolled + all.already_enrolled).toBe((await listStudents()).length);
      expect(all.already_enrolled).toBeGreaterThanOrEqual(3);
    },
  );

  it('students delete-biometrics removes photos, templates and files', async () => {
    const r = json(await cli(['students', 'delete-biometrics', '--student', '1001', '--json']));
    expect(r).toMatchObject({ student_id: 'S-0001', photos: 3, unknown_faces: 0, files: 3 });
    expect(await listPhotosForStudent('S-0001')).toEqual([]);
    expect(await countTemplatesForStudent('S-0001')).toBe(0);
    expect(
      existsSync(path.join(tmp, 'data', 'photos', 'S-0001'))
        ? await readdir(path.join(tmp, 'data', 'photos', 'S-0001'))
        : [],
    ).toEqual([]);
  });
});
