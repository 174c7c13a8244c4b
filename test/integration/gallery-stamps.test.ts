/** The worker's gallery stamps change when a course's enrolment or templates change, so new students are recognised within one refresh. */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { faceTemplates } from '@/db/schema';
import { unenroll } from '@/lib/data/course-admin';
import { enrollStudent } from '@/lib/data/courses';
import { galleryStamps } from '@/lib/data/recognition-lookups';
import { makeCourse, makeStudent } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

describe('gallery stamps', () => {
  useThrowawayDatabase();

  it('change on enrolment, on a new template and on unenrolment, and only for that course', async () => {
    const [course, other] = [await makeCourse(), await makeCourse()];
    const stamp = async () => galleryStamps([course.courseId, other.courseId]);
    const empty = await stamp();
    expect(empty.get(course.courseId)).toBe('0:0:');
    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    const enrolled = await stamp();
    expect(enrolled.get(course.courseId)).not.toBe(empty.get(course.courseId));
    expect(enrolled.get(other.courseId)).toBe(empty.get(other.courseId));
    await getDb()
      .insert(faceTemplates)
      .values({
        templateId: crypto.randomUUID(),
        studentId: student.studentId,
        photoId: null,
        model: 'm',
        modelVersion: '1',
        dims: 2,
        embedding: Buffer.alloc(8),
      });
    const photographed = await stamp();
    expect(photographed.get(course.courseId)).not.toBe(enrolled.get(course.courseId));
    expect(await stamp()).toEqual(photographed);
    await unenroll(course.courseId, student.studentId, null);
    expect((await stamp()).get(course.courseId)).toBe('0:0:');
  });
});
