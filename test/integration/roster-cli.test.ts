/**
 * `students import --csv … --photos …` as an operator runs it: the dashboard's roster import from the
 * command line, on real LFW photos in a folder, against a throwaway database.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAttendanceCli, type CliRun } from '@/test/helpers/attendance-cli';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const LFW = path.resolve(process.cwd(), '../shared/faces/lfw-dev/known');
const hasFaces = existsSync(path.join(LFW, 'Al_Gore'));
skipUnlessCi(!hasFaces, `[roster-cli.test] ${LFW} is absent: the CLI roster import is skipped`);

const db = useThrowawayDatabase();
let tmp: string;
const cli = (args: string[]): Promise<CliRun> =>
  runAttendanceCli(args, { DATABASE_URL: db.url(), DATA_DIR: path.join(tmp, 'data') });
const json = (r: CliRun) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'roster-cli-'));
  await mkdir(path.join(tmp, 'photos', 'class-a'), { recursive: true });
  if (hasFaces) {
    const first = (await readdir(path.join(LFW, 'Al_Gore'))).sort()[0]!;
    await copyFile(path.join(LFW, 'Al_Gore', first), path.join(tmp, 'photos', 'class-a', 'K-1.jpg'));
  }
  await writeFile(path.join(tmp, 'photos', 'K-9.jpg'), 'no row for this one');
  await writeFile(
    path.join(tmp, 'roster.csv'),
    'student_number,name,email,courses\nK-1,Al Gore,al@uni.example,KCS1\nK-2,Bad Mail,nope,\n',
  );
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasFaces)('students import --csv', () => {
  it('previews with --dry-run, imports, and a second run changes nothing', { timeout: 240_000 }, async () => {
    json(await cli(['courses', 'add', '--code', 'KCS1', '--name', 'Roster', '--json']));
    const args = ['students', 'import', '--csv', path.join(tmp, 'roster.csv'), '--photos', path.join(tmp, 'photos')];
    const dry = json(await cli([...args, '--dry-run', '--json']));
    expect(dry.summary).toEqual({ rows: 2, to_import: 1, skipped: 1, photos: 1 });
    expect(dry.rows[1].problems).toEqual(['"nope" is not an email address.']);
    expect(dry.files).toEqual([
      { file: 'K-9.jpg', problem: 'No row of the roster has student number K-9; the photo is not imported.' },
    ]);

    const first = json(await cli([...args, '--json']));
    expect(first.summary).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      skipped: 1,
      photos_added: 1,
      photos_rejected: 0,
    });
    expect(first.rows[0]).toMatchObject({
      student_number: 'K-1',
      result: 'created',
      courses_added: 1,
      photos_added: 1,
    });
    const second = json(await cli([...args, '--json']));
    expect(second.summary).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
      skipped: 1,
      photos_added: 0,
      photos_rejected: 0,
    });
    expect(second.rows[0]).toMatchObject({
      student_id: first.rows[0].student_id,
      result: 'unchanged',
      photos_already_enrolled: 1,
    });
  });
});
