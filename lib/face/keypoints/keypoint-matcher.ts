/**
 * Keypoint matcher of the keypoint baseline (the original SIFT + MIN_MATCH_COUNT design, with
 * OpenCV.js's binary features instead of SIFT).
 *
 * Score of a probe against one enrolled template = number of RANSAC homography inliers among the
 * descriptor matches that pass
 *   1. Lowe's ratio test on the 2 nearest neighbours (Hamming distance, brute force);
 *   2. a geometric prefilter: both faces are aligned into the same chip, so a true match joins two
 *      points that are close in chip coordinates; matches longer than `maxShift × chipSize` are dropped;
 *   3. one-to-one: when several probe keypoints pick the same enrolled keypoint, only the closest descriptor stays.
 * Score of an identity = best score over its templates. A match needs score ≥ minMatchCount
 * (MIN_MATCH_COUNT, default 10), i.e. the interface's "strictly above `threshold`" with
 * `threshold = minMatchCount − 1`.
 *
 * Gallery descriptors live on the WASM heap as cv.Mat (built once in `add`), freed by
 * `removeIdentity` and `dispose`.
 */
import type { FaceMatcher, FaceTemplate, Identification } from '../types';
import { KEYPOINT_MODEL_VERSION, keypointModelName, withDefaults } from './keypoint-embedder';
import { loadOpenCv, type CvBFMatcher, type CvMat, type OpenCv } from './opencv';
import { parseKeypointTemplate, type KeypointDetectorName, type KeypointTemplate } from './template-format';

export const DEFAULT_MIN_MATCH_COUNT = 10;

export type KeypointMatcherOptions = {
  detector?: KeypointDetectorName;
  /** MIN_MATCH_COUNT: the fewest RANSAC inliers that count as a match. */
  minMatchCount?: number;
  /** Lowe ratio: keep a match when best distance < ratio × second-best distance. */
  ratio?: number;
  /** RANSAC reprojection threshold in chip pixels. */
  reprojThreshold?: number;
  /** Geometric prefilter: drop matches whose two keypoints are further apart than this fraction of the chip side (0 or ≥ 1.5 disables it). */
  maxShift?: number;
  /** Keep only the best match per enrolled keypoint. */
  oneToOne?: boolean;
};

export const DEFAULT_KEYPOINT_MATCHER_OPTIONS: Required<KeypointMatcherOptions> = {
  detector: 'akaze',
  minMatchCount: DEFAULT_MIN_MATCH_COUNT,
  ratio: 0.75,
  reprojThreshold: 6,
  maxShift: 0.25,
  oneToOne: true,
};

type GalleryEntry = {
  identity: string;
  template: KeypointTemplate;
  /** count × descriptorBytes, CV_8UC1; null when the template has no keypoints. */
  descriptors: CvMat | null;
};

export type PairScore = { ratioMatches: number; geometricMatches: number; inliers: number };

export class KeypointMatcher implements FaceMatcher {
  readonly kind = 'keypoints' as const;
  readonly model: string;
  readonly version = KEYPOINT_MODEL_VERSION;
  readonly threshold: number;
  readonly options: Readonly<Required<KeypointMatcherOptions>>;

  private readonly cv: OpenCv;
  private readonly bf: CvBFMatcher;
  private readonly entries: GalleryEntry[] = [];
  private readonly identities = new Map<string, number>();
  private disposed = false;

  /** Use `KeypointMatcher.create()` unless OpenCV is already loaded. */
  constructor(cv: OpenCv, options: KeypointMatcherOptions = {}) {
    this.cv = cv;
    this.options = withDefaults(DEFAULT_KEYPOINT_MATCHER_OPTIONS, options);
    const { minMatchCount, ratio } = this.options;
    if (!Number.isInteger(minMatchCount) || minMatchCount < 4)
      throw new RangeError('minMatchCount must be an integer ≥ 4 (a homography needs 4 points)');
    if (!(ratio > 0 && ratio <= 1)) throw new RangeError('ratio must be in (0, 1]');
    this.model = keypointModelName(this.options.detector);
    this.threshold = minMatchCount - 1;
    this.bf = new cv.BFMatcher(cv.NORM_HAMMING, false);
  }

  static async create(options: KeypointMatcherOptions = {}): Promise<KeypointMatcher> {
    return new KeypointMatcher(await loadOpenCv(), options);
  }

  get size(): { identities: number; templates: number } {
    return { identities: this.identities.size, templates: this.entries.length };
  }

  add(identity: string, template: FaceTemplate): void {
    this.assertLive();
    const parsed = this.parseOwn(template);
    if (this.entries.length > 0) {
      const ref = this.entries[0].template;
      if (parsed.chipSize !== ref.chipSize || parsed.descriptorBytes !== ref.descriptorBytes) {
        throw new Error(
          `Template geometry (${parsed.chipSize}px chip, ${parsed.descriptorBytes}-byte descriptors) differs from the gallery's (${ref.chipSize}px, ${ref.descriptorBytes} bytes)`,
        );
      }
    }
    this.entries.push({ identity, template: parsed, descriptors: this.toMat(parsed) });
    this.identities.set(identity, (this.identities.get(identity) ?? 0) + 1);
  }

  removeIdentity(identity: string): void {
    this.assertLive();
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].identity === identity) {
        this.entries[i].descriptors?.delete();
        this.entries.splice(i, 1);
      }
    }
    this.identities.delete(identity);
  }

  /** Frees every WASM allocation; the matcher cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const e of this.entries) e.descriptors?.delete();
    this.entries.length = 0;
    this.identities.clear();
    this.bf.delete();
    this.disposed = true;
  }

  async identify(probe: FaceTemplate): Promise<Identification> {
    const ranked = this.ranked(probe, 2);
    if (ranked.length === 0)
      return { status: 'unknown', reason: 'empty-gallery', bestIdentity: null, score: null, runnerUp: null };
    const [best, second] = ranked;
    const runnerUp = second ? second.score : null;
    if (best.score <= this.threshold)
      return { status: 'unknown', reason: 'below-threshold', bestIdentity: best.identity, score: best.score, runnerUp };
    if (runnerUp !== null && runnerUp >= best.score)
      return { status: 'unknown', reason: 'ambiguous', bestIdentity: best.identity, score: best.score, runnerUp };
    return { status: 'match', identity: best.identity, score: best.score, runnerUp };
  }

  async rank(probe: FaceTemplate, limit: number): Promise<Array<{ identity: string; score: number }>> {
    return this.ranked(probe, limit);
  }

  private ranked(probe: FaceTemplate, limit: number): Array<{ identity: string; score: number }> {
    this.assertLive();
    if (this.entries.length === 0 || limit <= 0) return [];
    const p = this.parseOwn(probe);
    const best = new Map<string, number>();
    for (const id of this.identities.keys()) best.set(id, 0);
    const probeMat = this.toMat(p);
    try {
      if (probeMat) {
        for (const e of this.entries) {
          const s = this.scoreEntry(p, probeMat, e).inliers;
          if (s > (best.get(e.identity) ?? 0)) best.set(e.identity, s);
        }
      }
    } finally {
      probeMat?.delete();
    }
    return [...best.entries()]
      .map(([identity, score]) => ({ identity, score }))
      .sort((a, b) => b.score - a.score || (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0))
      .slice(0, limit);
  }

  /** Match statistics of a probe against one enrolled-style template (for tests and evaluation). */
  compare(probe: FaceTemplate, enrolled: FaceTemplate): PairScore {
    this.assertLive();
    const p = this.parseOwn(probe),
      g = this.parseOwn(enrolled);
    const pm = this.toMat(p),
      gm = this.toMat(g);
    try {
      if (!pm || !gm) return { ratioMatches: 0, geometricMatches: 0, inliers: 0 };
      return this.scoreEntry(p, pm, { identity: '', template: g, descriptors: gm });
    } finally {
      pm?.delete();
      gm?.delete();
    }
  }

  private scoreEntry(p: KeypointTemplate, probeMat: CvMat, e: GalleryEntry): PairScore {
    const cv = this.cv;
    const g = e.template;
    if (!e.descriptors || g.count < 2) return { ratioMatches: 0, geometricMatches: 0, inliers: 0 };
    const { ratio, maxShift, oneToOne, reprojThreshold } = this.options;
    const maxD2 = maxShift > 0 && maxShift < 1.5 ? (maxShift * g.chipSize) ** 2 : Infinity;
    const knn = new cv.DMatchVectorVector();
    let q: number[] = [],
      t: number[] = [],
      dist: number[] = [];
    let ratioMatches = 0;
    try {
      this.bf.knnMatch(probeMat, e.descriptors, knn, 2);
      for (let i = 0, n = knn.size(); i < n; i++) {
        const pair = knn.get(i);
        try {
          if (pair.size() < 2) continue;
          const m = pair.get(0),
            m2 = pair.get(1);
          if (!(m.distance < ratio * m2.distance)) continue;
          ratioMatches++;
          const dx = p.x[m.queryIdx] - g.x[m.trainIdx],
            dy = p.y[m.queryIdx] - g.y[m.trainIdx];
          if (dx * dx + dy * dy > maxD2) continue;
          q.push(m.queryIdx);
          t.push(m.trainIdx);
          dist.push(m.distance);
        } finally {
          pair.delete();
        }
      }
    } finally {
      knn.delete();
    }
    if (oneToOne && q.length > 1) {
      const bestFor = new Map<number, number>();
      for (let i = 0; i < q.length; i++) {
        const j = bestFor.get(t[i]);
        if (j === undefined || dist[i] < dist[j]) bestFor.set(t[i], i);
      }
      const keep = [...bestFor.values()].sort((a, b) => a - b);
      q = keep.map((i) => q[i]);
      t = keep.map((i) => t[i]);
      dist = keep.map((i) => dist[i]);
    }
    const geometricMatches = q.length;
    if (geometricMatches < 4) return { ratioMatches, geometricMatches, inliers: 0 };
    const src = new Float32Array(geometricMatches * 2),
      dst = new Float32Array(geometricMatches * 2);
    for (let i = 0; i < geometricMatches; i++) {
      src[2 * i] = p.x[q[i]];
      src[2 * i + 1] = p.y[q[i]];
      dst[2 * i] = g.x[t[i]];
      dst[2 * i + 1] = g.y[t[i]];
    }
    const srcMat = cv.matFromArray(geometricMatches, 1, cv.CV_32FC2, src);
    const dstMat = cv.matFromArray(geometricMatches, 1, cv.CV_32FC2, dst);
    const mask = new cv.Mat();
    let h: CvMat | null = null;
    try {
      h = cv.findHomography(srcMat, dstMat, cv.RANSAC, reprojThreshold, mask, 2000, 0.995);
      let inliers = 0;
      if (!h.empty() && mask.rows === geometricMatches) {
        const m = mask.data;
        for (let i = 0; i < geometricMatches; i++) if (m[i]) inliers++;
      }
      return { ratioMatches, geometricMatches, inliers };
    } finally {
      h?.delete();
      mask.delete();
      dstMat.delete();
      srcMat.delete();
    }
  }

  private parseOwn(template: FaceTemplate): KeypointTemplate {
    if (template.model !== this.model)
      throw new Error(`Template of model "${template.model}" given to the ${this.model} matcher`);
    return parseKeypointTemplate(template.data);
  }

  private toMat(t: KeypointTemplate): CvMat | null {
    if (t.count === 0) return null;
    return this.cv.matFromArray(t.count, t.descriptorBytes, this.cv.CV_8UC1, t.descriptors);
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('KeypointMatcher was disposed');
  }
}
