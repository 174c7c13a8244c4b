/**
 * Keeps course galleries current without waiting for their refresh: at each session refresh (15 s),
 * the stamps of the courses in use (enrolled students, templates, newest template) are compared with
 * the last ones, and a course whose stamp changed has its galleries rebuilt at the next frame — a
 * student enrolled or photographed in the dashboard is recognised within one refresh.
 */
import type { Logger } from '@/lib/log';

export class GalleryWatch {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly deps: {
      stamps: (courseIds: string[]) => Promise<Map<string, string>>;
      invalidate: (courseId: string) => void;
      log: Logger;
    },
  ) {}

  /** Invalidates the galleries of the courses whose stamp changed since the last check; returns them. */
  async check(courseIds: string[]): Promise<string[]> {
    const stamps = await this.deps.stamps(courseIds);
    const changed: string[] = [];
    for (const [courseId, stamp] of stamps) {
      const before = this.last.get(courseId);
      this.last.set(courseId, stamp);
      if (before !== undefined && before !== stamp) {
        this.deps.invalidate(courseId);
        changed.push(courseId);
        this.deps.log.info({ courseId }, 'course enrolment or templates changed; gallery rebuilt at the next frame');
      }
    }
    return changed;
  }
}
