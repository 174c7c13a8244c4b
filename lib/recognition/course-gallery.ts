/**
 * One FaceMatcher per course, built from the templates of the course's enrolled students that the
 * current model+version made. The pipeline only learns the model+version from its first probe (the
 * engine runs in worker threads), so galleries are keyed by course *and* model+version. Built lazily,
 * cached, rebuilt after `refreshMs` (60 s) or on `invalidate()`, which the worker's GalleryWatch calls
 * at each session refresh for a course whose enrolment or templates changed (gallery-watch.ts).
 *
 * During a model change, students who have no template of the current model yet are put in a legacy
 * gallery per previous model (`legacy`), matched with probes embedded by that model, so nobody drops
 * out of recognition while the worker rebuilds templates. A student moves to the current gallery at
 * the first refresh after their rebuild.
 */
import type { EngineIdentity } from '@/lib/face/engine-identity';
import type { FaceMatcher, FaceTemplate, Identification } from '@/lib/face/types';

export interface GalleryTemplateRow {
  studentId: string;
  data: Uint8Array;
}

export interface CourseGalleryDeps {
  listTemplates: (courseId: string, model: string, version: string) => Promise<GalleryTemplateRow[]>;
  createMatcher: (model: string, version: string) => Promise<FaceMatcher>;
  /** Previous models the engine can still embed with (EngineOptions.legacyEmbedders). */
  legacy?: readonly EngineIdentity[];
  refreshMs?: number;
  now?: () => number;
}

export interface CourseGallery {
  courseId: string;
  matcher: FaceMatcher;
  /** Students with at least one usable template (current or legacy): the only identities that can be recognised. */
  students: ReadonlySet<string>;
  /** Per previous model, the students who only have templates of that model. Empty once all are rebuilt. */
  legacy: LegacyGallery[];
  builtAt: number;
}

export interface LegacyGallery {
  matcher: FaceMatcher;
  students: ReadonlySet<string>;
}

/**
 * The current gallery's answer, or, when it has no match, a match in a legacy gallery with the
 * probe's template from that model. Legacy students are never in the current gallery, so the two
 * cannot disagree about one student.
 */
export async function identifyInGallery(
  gallery: CourseGallery,
  template: FaceTemplate,
  legacyTemplates: readonly FaceTemplate[] = [],
): Promise<Identification> {
  const current = await gallery.matcher.identify(template);
  if (current.status === 'match') return current;
  for (const { matcher } of gallery.legacy) {
    const probe = legacyTemplates.find((t) => t.model === matcher.model && t.version === matcher.version);
    if (!probe) continue;
    const r = await matcher.identify(probe);
    if (r.status === 'match') return r;
  }
  return current;
}

export class CourseGalleries {
  private readonly cache = new Map<string, { gallery: Promise<CourseGallery>; builtAt: number }>();
  /** Per course, whether its last gallery built had legacy students. */
  private readonly legacyCourses = new Map<string, boolean>();
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

  /**
   * Whether a frame of the course should also be embedded by the legacy embedders: its gallery has
   * students known only by a previous model's templates. Before the course's gallery is first built,
   * whenever legacy embedders are configured (so a session's first frame is not missed).
   */
  wantsLegacy(courseId: string): boolean {
    return this.legacyCourses.get(courseId) ?? (this.deps.legacy ?? []).length > 0;
  }

  /** Forget one course's galleries (or all); the next `get` rebuilds. */
  invalidate(courseId?: string): void {
    for (const key of [...this.cache.keys()])
      if (courseId === undefined || key.startsWith(`${courseId}\u0000`)) this.cache.delete(key);
  }

  private async build(courseId: string, model: string, version: string): Promise<CourseGallery> {
    const [rows, matcher] = await Promise.all([
      this.deps.listTemplates(courseId, model, version),
      this.deps.createMatcher(model, version),
    ]);
    const students = new Set<string>();
    for (const row of rows) {
      matcher.add(row.studentId, { model, version, data: bytes(row) });
      students.add(row.studentId);
    }
    const current = new Set(students);
    const legacy: LegacyGallery[] = [];
    for (const old of this.deps.legacy ?? []) {
      if (old.model === model && old.version === version) continue;
      const waiting = (await this.deps.listTemplates(courseId, old.model, old.version)).filter(
        (r) => !current.has(r.studentId),
      );
      if (waiting.length === 0) continue;
      const oldMatcher = await this.deps.createMatcher(old.model, old.version);
      const oldStudents = new Set<string>();
      for (const row of waiting) {
        oldMatcher.add(row.studentId, { model: old.model, version: old.version, data: bytes(row) });
        oldStudents.add(row.studentId);
        students.add(row.studentId);
      }
      legacy.push({ matcher: oldMatcher, students: oldStudents });
    }
    this.legacyCourses.set(courseId, legacy.length > 0);
    return { courseId, matcher, students, legacy, builtAt: this.now() };
  }
}

function bytes(row: GalleryTemplateRow): Uint8Array {
  return new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
}
