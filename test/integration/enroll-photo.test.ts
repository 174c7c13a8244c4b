/**
 * The enrolment service with the real engine on real LFW faces, a real MariaDB (throwaway database)
 * and local-disk storage in a temp folder.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditFor } from '@/lib/data/audit';
import { enrollStudent } from '@/lib/data/courses';
import { listPhotosForStudent } from '@/lib/data/face-photos';
import { countTemplatesForStudent, listTemplatesForCourse, listTemplatesForStudent } from '@/lib/data/face-templates';
import { deletePhoto, deleteStudentBiometrics, enrollStudentPhoto } from '@/lib/enrollment/enroll-photo';
import { FaceEngine } from '@/lib/face/engine';
import { LocalDiskStorage } from '@/lib/storage';
import { makeCourse, makeStudent } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';
import { skipUnlessCi } from '@/test/helpers/needs';

const LFW = path.resolve(process.cwd(), '../shared/faces/lfw-dev/known');
const PERSON = 'Al_Gore';
const hasFaces = existsSync(path.join(LFW, PERSON));
skipUnlessCi(!hasFaces, `[enroll-photo.test] ${LFW}/${PERSON} is absent: enrolment on real faces is skipped`);

useThrowawayDatabase();

const lfwPhoto = async (n: number) =>
  readFile(path.join(LFW, PERSON, (await readdir(path.join(LFW, PERSON))).sort()[n]));
/** A smooth gradient: a valid JPEG with no face in it. */
const noFace = () =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .composite([
      {
        input: Buffer.from(
          '<svg width="320" height="240"><rect x="40" y="60" width="120" height="80" fill="#553"/></svg>',
        ),
      },
    ])
    .jpeg()
    .toBuffer();

let engine: FaceEngine;
let dataDir: string;
let storage: LocalDiskStorage;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'enroll-'));
  storage = new LocalDiskStorage(dataDir);
  if (hasFaces) engine = await FaceEngine.load({ matcher: 'embedding' });
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasFaces)('enrollStudentPhoto on real faces', () => {
  it('an accepted photo stores the file, a photo row and a template the course gallery returns', async () => {
    const student = await makeStudent();
    const course = await makeCourse();
    await enrollStudent(course.courseId, student.studentId);
    const bytes = await lfwPhoto(0);
    const out = await enrollStudentPhoto({ studentId: student.studentId, bytes, filename: 'a.JPG', engine, storage });
    expect(out.status, JSON.stringify(out)).toBe('accepted');
    if (out.status !== 'accepted') return;
    expect(out.duplicate).toBe(false);
    expect(out.box.width).toBeGreaterThan(20);
    expect(out.quality.faces).toBe(1);

    const [photo] = await listPhotosForStudent(student.studentId);
    expect(photo).toMatchObject({
      photoId: out.photoId,
      accepted: true,
      reason: null,
      storageKey: `photos/${student.studentId}/${out.photoId}.jpg`,
    });
    expect(photo.quality).toMatchObject({ report: { faces: 1 } });
    expect(await storage.get(photo.storageKey)).toEqual(bytes);

    const [template] = await listTemplatesForStudent(student.studentId);
    expect(template).toMatchObject({
      templateId: out.templateId,
      photoId: out.photoId,
      model: expect.any(String),
      modelVersion: expect.any(String),
    });
    expect(template.embedding.length).toBe(template.dims * 4);

    const gallery = await listTemplatesForCourse(course.courseId, template.model, template.modelVersion);
    expect(gallery).toEqual([{ studentId: student.studentId, data: template.embedding }]);
    expect(await listTemplatesForCourse(course.courseId, template.model, 'other-version')).toEqual([]);
  });

  it('a photo without a face is rejected with a reason, and nothing of it is kept: no row, no file, no template', async () => {
    const student = await makeStudent();
    const out = await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await noFace(),
      filename: 'wall.jpg',
      engine,
      storage,
      actorUserId: null,
    });
    expect(out).toMatchObject({
      status: 'rejected',
      photoId: null,
      code: 'no-face',
      reason: expect.stringMatching(/no face/i),
      duplicate: false,
    });
    expect(await listPhotosForStudent(student.studentId)).toEqual([]);
    expect(await storage.list(`photos/${student.studentId}/`)).toEqual([]);
    expect(await countTemplatesForStudent(student.studentId)).toBe(0);
    // The attempt is audited.
    expect(
      (await listAuditFor('student', student.studentId)).map((a) => [
        a.action,
        (a.details as { accepted?: boolean }).accepted,
      ]),
    ).toEqual([['face_photo.enroll', false]]);
  });

  it('a file that is not an image (0 bytes, text named .jpg) is rejected, not thrown, and not stored', async () => {
    const student = await makeStudent();
    for (const bytes of [Buffer.from('hello, not a photo'), Buffer.alloc(0)]) {
      const out = await enrollStudentPhoto({ studentId: student.studentId, bytes, filename: 'x.jpg', engine, storage });
      expect(out).toMatchObject({ status: 'rejected', photoId: null });
    }
    expect(await listPhotosForStudent(student.studentId)).toEqual([]);
    expect(await storage.list(`photos/${student.studentId}/`)).toEqual([]);
  });

  it('the same bytes uploaded again are not enrolled twice', async () => {
    const student = await makeStudent();
    const bytes = await lfwPhoto(1);
    const first = await enrollStudentPhoto({ studentId: student.studentId, bytes, filename: 'a.jpg', engine, storage });
    const again = await enrollStudentPhoto({
      studentId: student.studentId,
      bytes,
      filename: 'renamed.jpg',
      engine,
      storage,
    });
    expect(first.status).toBe('accepted');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await listPhotosForStudent(student.studentId)).toHaveLength(1);
    expect(await countTemplatesForStudent(student.studentId)).toBe(1);
    expect(await storage.list(`photos/${student.studentId}/`)).toHaveLength(1);
  });

  it('concurrent uploads of the same bytes still make one photo', async () => {
    const student = await makeStudent();
    const bytes = await lfwPhoto(2);
    const outs = await Promise.all(
      [0, 1, 2].map(() =>
        enrollStudentPhoto({ studentId: student.studentId, bytes, filename: 'a.jpg', engine, storage }),
      ),
    );
    expect(new Set(outs.map((o) => o.photoId)).size).toBe(1);
    expect(await countTemplatesForStudent(student.studentId)).toBe(1);
    expect(await storage.list(`photos/${student.studentId}/`)).toHaveLength(1);
  });

  it('an unknown student is a NOT_FOUND error and stores nothing', async () => {
    await expect(
      enrollStudentPhoto({
        studentId: crypto.randomUUID(),
        bytes: await lfwPhoto(0),
        filename: 'a.jpg',
        engine,
        storage,
      }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deleteStudentBiometrics removes photos, templates and files, and writes an audit row', async () => {
    const student = await makeStudent();
    await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await lfwPhoto(0),
      filename: 'a.jpg',
      engine,
      storage,
    });
    await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await lfwPhoto(1),
      filename: 'b.jpg',
      engine,
      storage,
    });
    await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await noFace(),
      filename: 'c.jpg',
      engine,
      storage,
    });
    const result = await deleteStudentBiometrics(student.studentId, null, { storage });
    // The photo without a face was never stored.
    expect(result).toEqual({ studentId: student.studentId, photos: 2, templates: 2, unknownFaces: 0, files: 2 });
    expect(await listPhotosForStudent(student.studentId)).toEqual([]);
    expect(await countTemplatesForStudent(student.studentId)).toBe(0);
    expect(await storage.list(`photos/${student.studentId}/`)).toEqual([]);
    const audit = await listAuditFor('student', student.studentId);
    expect(audit.map((a) => a.action)).toContain('student.delete_biometrics');
  });

  it('deletePhoto removes one photo, its template and its file', async () => {
    const student = await makeStudent();
    const keep = await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await lfwPhoto(0),
      filename: 'a.jpg',
      engine,
      storage,
    });
    const drop = await enrollStudentPhoto({
      studentId: student.studentId,
      bytes: await lfwPhoto(1),
      filename: 'b.jpg',
      engine,
      storage,
    });
    if (drop.status !== 'accepted' || keep.status !== 'accepted') throw new Error('both LFW photos should be accepted');
    expect(await deletePhoto(drop.photoId, { storage })).toEqual({
      photoId: drop.photoId,
      studentId: student.studentId,
    });
    expect((await listPhotosForStudent(student.studentId)).map((p) => p.photoId)).toEqual([keep.photoId]);
    expect(await countTemplatesForStudent(student.studentId)).toBe(1);
    expect(await storage.list(`photos/${student.studentId}/`)).toEqual([
      `photos/${student.studentId}/${keep.photoId}.jpg`,
    ]);
    await expect(deletePhoto(drop.photoId, { storage })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
