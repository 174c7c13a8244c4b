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
import { enrollUploadedPhotos, PHOTO_UPLOAD_LIMITS } from '@/lib/enrollment/photo-upload';
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

describe.skipIf(!hasFaces)('enrollUploadedPhotos: the dashboard upload', () => {
  const upload = (form: FormData | string) =>
    new Request('http://x/api/students/x/photos', {
      method: 'POST',
      body: form,
      ...(typeof form === 'string' ? { headers: { 'content-type': 'text/plain' } } : {}),
    });
  const file = (bytes: Uint8Array, name: string) => new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' });

  it('answers each photo in order: enrolled, too large (not read), no face', async () => {
    const student = await makeStudent();
    const form = new FormData();
    form.append('photos', file(await lfwPhoto(0), 'gore.jpg'));
    form.append('photos', file(new Uint8Array(PHOTO_UPLOAD_LIMITS.maxPhotoBytes + 1), 'huge.jpg'));
    form.append('photos', file(await noFace(), 'wall.jpg'));
    const results = await enrollUploadedPhotos(upload(form), {
      studentId: student.studentId,
      actorUserId: null,
      engine: async () => engine,
      storage,
    });
    expect(results.map((r) => [r.filename, r.status, r.status === 'rejected' ? r.code : null])).toEqual([
      ['gore.jpg', 'accepted', null],
      ['huge.jpg', 'rejected', 'too-large'],
      ['wall.jpg', 'rejected', 'no-face'],
    ]);
    expect(await listPhotosForStudent(student.studentId)).toHaveLength(1);
    expect((await listAuditFor('student', student.studentId)).map((a) => a.action).sort()).toEqual([
      'face_photo.enroll',
      'face_photo.enroll',
    ]);
  });

  it('refuses a body that is not multipart, an upload without photos and one with too many, in words', async () => {
    const student = await makeStudent();
    const run = (req: Request) =>
      enrollUploadedPhotos(req, {
        studentId: student.studentId,
        actorUserId: null,
        engine: async () => engine,
        storage,
      });
    await expect(run(upload('not a form'))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'Send the photos as multipart/form-data',
    });
    const empty = new FormData();
    empty.append('note', 'no files here');
    await expect(run(upload(empty))).rejects.toMatchObject({ message: 'No photos in the upload (field "photos")' });
    const many = new FormData();
    const one = await lfwPhoto(1);
    for (let i = 0; i <= PHOTO_UPLOAD_LIMITS.maxFiles; i++) many.append('photos', file(one, `p${i}.jpg`));
    await expect(run(upload(many))).rejects.toMatchObject({ message: 'At most 20 photos per upload' });
    expect(await listPhotosForStudent(student.studentId)).toEqual([]);
  });
});
