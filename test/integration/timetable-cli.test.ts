/** `npm run attendance -- timetable add|list|remove` as a child process against this file's throwaway database. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionsOfCourse } from '@/lib/data/session-admin';
import { findCourseByCode } from '@/lib/data/courses';
import { runAttendanceCli, type CliRun } from '@/test/helpers/attendance-cli';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();
let tmp: string;
const cli = (args: string[]): Promise<CliRun> =>
  runAttendanceCli(args, { DATABASE_URL: db.url(), DATA_DIR: path.join(tmp, 'data'), CAMPUS_TIMEZONE: 'Asia/Jakarta' });
const ok = (r: CliRun) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'timetable-cli-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('timetable CLI', () => {
  const term = [
    '--weekday',
    'mon',
    '--start',
    '09:00',
    '--end',
    '10:40',
    '--from',
    '2027-02-03',
    '--to',
    '2027-05-30',
    '--except',
    '2027-03-01,2027-03-08',
  ];

  it("adds a term's sessions in CAMPUS_TIMEZONE with the camera's room; a second run clashes (409 → exit 1, dates named)", async () => {
    ok(await cli(['courses', 'add', '--code', 'TT101', '--name', 'Timetabling', '--json']));
    ok(await cli(['cameras', 'add', '--name', 'cam-a101', '--room', 'A101', '--json']));
    const added = ok(await cli(['timetable', 'add', '--course', 'TT101', ...term, '--camera', 'cam-a101', '--json']));
    expect(added).toMatchObject({ sessions_created: 14, skipped_past: 0, room: 'A101', time_zone: 'Asia/Jakarta' });
    expect(added.dates).not.toContain('2027-03-01');
    const course = (await findCourseByCode('TT101'))!;
    const sessions = await listSessionsOfCourse(course.courseId);
    expect(sessions).toHaveLength(14);
    expect(sessions[0]!.startsAt.toISOString()).toBe('2027-02-08T02:00:00.000Z');

    const again = await cli(['timetable', 'add', '--course', 'TT101', ...term, '--json']);
    expect(again.code).toBe(1);
    const err = JSON.parse(again.stdout).error;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/overlaps other sessions on 14 date\(s\): 2027-02-08 \(TT101, /);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(await listSessionsOfCourse(course.courseId)).toHaveLength(14);

    const listed = ok(await cli(['timetable', 'list', '--course', 'TT101', '--json']));
    expect(listed).toMatchObject([
      {
        weekdays: ['mon'],
        start: '09:00',
        end: '10:40',
        except: ['2027-03-01', '2027-03-08'],
        sessions: 14,
        upcoming: 14,
        camera: 'cam-a101',
      },
    ]);
    const removed = ok(await cli(['timetable', 'remove', '--id', listed[0].timetable_id, '--json']));
    expect(removed).toMatchObject({ removed_sessions: 14, kept_sessions: 0 });
    expect(await listSessionsOfCourse(course.courseId)).toHaveLength(0);
  }, 120_000);

  it.each([
    [['--weekday', 'mondays,funday'], 2, /--weekday takes mon, tue/],
    [['--weekday', 'mon', '--start', '9am'], 1, /start time must look like 09:00/],
  ])(
    '%j: one clear line, exit %i',
    async (patch, code, message) => {
      const args = [...term];
      for (let i = 0; i < patch.length; i += 2) args[args.indexOf(patch[i]!) + 1] = patch[i + 1]!;
      const r = await cli(['timetable', 'add', '--course', 'TT101', ...args]);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );
});
