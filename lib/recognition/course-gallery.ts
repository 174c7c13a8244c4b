/**
 * One FaceMatcher per course, built from the templates of the course's enrolled students that the
 * current model+version made. The pipeline only learns the model+version from its first probe (the
 * engine runs in worker threads), so galleries are keyed by course *and* model+version. Built lazily,
 * cached, rebuilt after `refreshMs` or on `invalidate()` (new enrolment, new photos).
 */
import type { FaceMatcher } from '@/lib/face/types';

export interface GalleryTemplateRow {
  studentId: string;
  data: Uint8Array;
}

export interface CourseGalleryDeps {
  listTemplates: (courseId: string, model: string, version: string) => Promise<GalleryTemplateRow[]>;
  /** Templates of enrolled students from another model/version (reported, not used). */
  countStale?: (courseId: string, model: string, version: string) => Promise<number>;
  createMatcher: (model: string, version: string) => Promise<FaceMatcher>;
  refreshMs?: number;
  now?: () => number;
}

export interface CourseGallery {
  courseId: string;
  matcher: FaceMatcher;
  /** Students with at least one usable template: the only identities that can be recognised. */
  students: ReadonlySet<string>;
  /** Templates ignored because another model/version made them ("needs re-enrolment"). */
  staleTemplates: number;
  builtAt: number;
}

export class CourseGalleries {
  private readonly cache = new Map<string, { gallery: Promise<CourseGallery>; builtAt: number }>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: CourseGalleryDeps) {
    this.refreshMs = deps.refreshMs ?? 60_000;
    this.now = deps.now ?? Date.now;
  }

  /**
   * The course's gallery. While a refresh is being built the previous gallery keeps serving, so a
   * slow or failing database never stalls recognition of the course.
   */
  async get(courseId: string, model: string, version: string): Promise<CourseGallery> {
    const key = `${courseId}\u0000${model}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.builtAt < this.refreshMs) return cached.gallery;
    const building = this.build(courseId, model, version);
    if (!cached) {
      this.cache.set(key, { gallery: building, builtAt: this.now() });
      building.catch(() => this.cache.delete(key));
      return building;
    }
    cached.builtAt = this.now();
    building.then(
      (g) => this.cache.set(key, { gallery: Promise.resolve(g), builtAt: g.builtAt }),
      () => undefined,
    );
    return cached.gallery;
  }

  /** Forget one course's galleries (or all); the next `get` rebuilds. */
  invalidate(courseId?: string): void {
    for (const key of [...this.cache.keys()]) if (courseId === undefined || key.startsWith(`${courseId}\u0000`)) this.cache.delete(key);
  }

  private async build(courseId: string, model: string, version: string): Promise<CourseGallery> {
    const [rows, staleTemplates, matcher] = await Promise.all([
      this.deps.listTemplates(courseId, model, version),
      this.deps.countStale ? this.deps.countStale(courseId, model, version) : Promise.resolve(0),
      this.deps.createMatcher(model, version),
    ]);
    const students = new Set<string>();
    for (const row of rows) {
      matcher.add(row.studentId, { model, version, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) });
      students.add(row.studentId);
    }
    return { courseId, matcher, students, staleTemplates, builtAt: this.now() };
  }
}
