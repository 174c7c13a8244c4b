/**
 * Model upgrade: students enrolled with the previous engine (old-version templates + their stored
 * photos) get templates of the current model from `npm run attendance -- templates rebuild --json`,
 * and probes of the same people are then identified as those students by the new gallery.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { listTemplatesForStudent } from '@/lib/data/face-templates';
import { LocalDiskStorage } from '@/lib/storage';
import { FaceEngine } from '@/lib/face/engine';
import { ARCFACE_IDENTITY, deepEmbedderIdentity } from '@/lib/face/engine-identity';
import { makeStudent } from '@/test/factories';
import { REPO, runAttendanceCli } from '@/test/helpers/attendance-cli';
import { useThrowawayDatabase } from './throwaway-db';

const LFW = path.resolve(REPO, '../shared/faces/lfw-dev/known');
const PEOPLE = ['Al_Gore', 'Ai_Sugiyama', 'Alastair_Campbell', 'Angela_Merkel'];
const hasFaces = PEOPLE.every((p) => existsSync(path.join(LFW, p)));
if (!hasFaces && process.env.CI === 'true') throw new Error(`${LFW} is missing: the template rebuild test needs real photos under CI`);
if (!hasFaces) console.warn(`[template-rebuild.test] ${LFW} is absent: skipped`);
const photo = (name: string, n: number) => readFile(path.join(LFW, name, `${name}_${String(n).padStart(4, '0')}.jpg`));

const db = useThrowawayDatabase();
let tmp: string;
const studentOf = new Map<string, string>();
const OLD = deepEmbedderIdentity('fused');

const cli = (args: string[]) => runAttendanceCli(args, { DATABASE_URL: db.url(), DATA_DIR: path.join(tmp, 'data') });

describe.skipIf(!hasFaces)('templates rebuild after a model change', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'template-rebuild-'));
    const storage = new LocalDiskStorage(path.join(tmp, 'data'));
    // Enrolled with the previous engine: photos 1–2 stored, each with an old-version 1,280-d template.
    for (const name of PEOPLE) {
      const student = await makeStudent({ name: name.replace(/_/g, ' ') });
      studentOf.set(student.studentId, name);
      for (const n of [1, 2]) {
        const photoId = crypto.randomUUID();
        const storageKey = `photos/${student.studentId}/${photoId}.jpg`;
        await storage.put(storageKey, await photo(name, n), 'image/jpeg');
        const old = Buffer.from(Float32Array.from({ length: 1280 }, (_, i) => Math.cos(i + n)).buffer);
        await insertPhotoWithTemplate(
          { photoId, studentId: student.studentId, storageKey, contentSha256: `${photoId}`.padEnd(64, '0').slice(0, 64), quality: null, accepted: true, reason: null },
          { model: OLD.model, modelVersion: OLD.version, dims: 1280, embedding: old },
        );
      }
    }
  }, 60_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('makes a current-model template for every stored photo, keeps the old ones, and reports coverage', async () => {
    const r = await cli(['templates', 'rebuild', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ model: ARCFACE_IDENTITY.model, version: ARCFACE_IDENTITY.version, photos: 8, rebuilt: 8, failed: [], students_up_to_date: 4, students: 4 });
    for (const studentId of studentOf.keys()) {
      const rows = await listTemplatesForStudent(studentId);
      expect(rows.filter((t) => t.model === ARCFACE_IDENTITY.model && t.modelVersion === ARCFACE_IDENTITY.version && t.dims === 512)).toHaveLength(2);
      expect(rows.filter((t) => t.model === OLD.model)).toHaveLength(2);
    }
    // A second run has nothing left to do.
    const again = JSON.parse((await cli(['templates', 'rebuild', '--json'])).stdout);
    expect(again).toMatchObject({ photos: 0, rebuilt: 0, students_up_to_date: 4 });
  });

  it('the rebuilt gallery identifies new photos of the same people as the same students', async () => {
    const engine = await FaceEngine.load();
    const matcher = await engine.createMatcher();
    for (const studentId of studentOf.keys()) {
      for (const t of await listTemplatesForStudent(studentId)) {
        if (t.model === ARCFACE_IDENTITY.model && t.modelVersion === ARCFACE_IDENTITY.version) matcher.add(studentId, { model: t.model, version: t.modelVersion, data: t.embedding });
      }
    }
    for (const [studentId, name] of studentOf) {
      const [face] = await engine.analyze(await engine.decode(await photo(name, 4)));
      const r = matcher.identify(face.template);
      expect(r, name).toMatchObject({ status: 'match', identity: studentId });
    }
  });
});
