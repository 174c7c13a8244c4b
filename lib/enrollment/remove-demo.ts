import 'server-only';
import { listDemoRows, removeDemoRows, type DemoEntity } from '@/lib/data/demo-data';
import { AppError } from '@/lib/errors';
import { deleteStudent } from './delete-student';

/**
 * Removes exactly the rows the demo seed created: demo students first through the normal deletion
 * (their photos, templates and stored faces leave the disk too), then the demo sessions, courses,
 * camera and lecturer. Real rows, even ones enrolled in a demo course, stay. Idempotent.
 */
export async function removeDemoData(actorUserId: string | null): Promise<Record<DemoEntity, number>> {
  const ids = await listDemoRows();
  let students = 0;
  for (const studentId of ids.students) {
    try {
      await deleteStudent(studentId, actorUserId, { cascade: true });
      students++;
    } catch (e) {
      // Deleted by hand already: nothing left to remove.
      if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
    }
  }
  return removeDemoRows(ids, actorUserId, students);
}
