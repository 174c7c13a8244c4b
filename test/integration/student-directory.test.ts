/** The students list: photo and template counts are each student's own (issue: every row showed the totals). */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { faceTemplates } from '@/db/schema';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { searchStudents } from '@/lib/data/student-directory';
import { makeStudent } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const template = () => ({
  model: 'm',
  modelVersion: '1',
  dims: 2,
  embedding: Buffer.from(Float32Array.of(1, 0).buffer),
});

async function addPhoto(studentId: string, withTemplate: boolean): Promise<void> {
  const photoId = crypto.randomUUID();
  await insertPhotoWithTemplate(
    {
      photoId,
      studentId,
      storageKey: `photos/${studentId}/${photoId}.jpg`,
      contentSha256: photoId.replace(/-/g, '').padEnd(64, '0'),
      quality: null,
      accepted: true,
      reason: null,
    },
    withTemplate ? template() : null,
  );
}

describe('searchStudents counts', () => {
  it('gives every student their own number of photos and face templates', async () => {
    const ana = await makeStudent({ name: 'Ana Count' });
    const budi = await makeStudent({ name: 'Budi Count' });
    const citra = await makeStudent({ name: 'Citra Count' });
    await addPhoto(ana.studentId, true);
    await addPhoto(ana.studentId, true);
    await addPhoto(ana.studentId, false);
    await addPhoto(citra.studentId, true);
    // A second template for Citra's photo (e.g. after a model change), no photo of its own.
    await getDb()
      .insert(faceTemplates)
      .values({ studentId: citra.studentId, ...template() });
    const { rows, total } = await searchStudents({ q: 'Count' });
    expect(total).toBe(3);
    expect(rows.map((r) => [r.name, r.photos, r.templates])).toEqual([
      ['Ana Count', 3, 2],
      ['Budi Count', 0, 0],
      ['Citra Count', 1, 2],
    ]);
    expect(budi.studentId).toBe(rows[1]!.studentId);
  });
});
