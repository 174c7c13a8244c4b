/** The overview's "students without face templates": everyone for an admin, a lecturer's own courses for a lecturer. */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { faceTemplates } from '@/db/schema';
import { enrollStudent } from '@/lib/data/courses';
import { countStudentsWithoutTemplates } from '@/lib/data/students';
import { makeCourse, makeStudent, makeUser } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

describe('students without face templates', () => {
  useThrowawayDatabase();

  it('counts students with no template, all or within a lecturer’s courses', async () => {
    const before = await countStudentsWithoutTemplates(null);
    const lecturer = await makeUser({ role: 'lecturer' });
    const course = await makeCourse({ lecturerId: lecturer.userId });
    const [a, b, c] = [await makeStudent(), await makeStudent(), await makeStudent()];
    await enrollStudent(course.courseId, a.studentId);
    await enrollStudent(course.courseId, b.studentId);
    await getDb()
      .insert(faceTemplates)
      .values({
        templateId: crypto.randomUUID(),
        studentId: b.studentId,
        photoId: null,
        model: 'm',
        modelVersion: '1',
        dims: 2,
        embedding: Buffer.alloc(8),
      });
    expect(await countStudentsWithoutTemplates(null)).toBe(before + 2); // a and c
    expect(await countStudentsWithoutTemplates(lecturer.userId)).toBe(1); // a only
    expect(c.studentId).toBeTruthy();
  });
});
