/**
 * The recognition engine: one detector, one template extractor and a matcher factory, chosen by
 * config (`MATCHER=embedding|keypoints`). Used in-process by the CLI and inside the worker threads
 * of `engine-pool.ts` by the camera worker and the web app.
 */
import { DEFAULT_EMBEDDING_THRESHOLD, DEFAULT_MIN_MATCH_COUNT } from './config';
import { BlazeFaceDetector } from './detector';
import { UltraFaceDetector } from './onnx/ultraface-detector';
import { DeepEmbedder } from './embedder';
import { ArcFaceEmbedder } from './onnx/arcface-embedder';
import { DEFAULT_DETECTOR, DEFAULT_EMBEDDER, embedderIdentity, type DetectorName, type EmbedderName } from './engine-identity';
import { EmbeddingMatcher } from './embedding-matcher';
import { decodeImage } from './image';
import { KeypointEmbedder } from './keypoints/keypoint-embedder';
import { KeypointMatcher } from './keypoints/keypoint-matcher';
import { checkEnrollmentQuality, type QualityVerdict } from './quality';
import type { MatcherKind } from './engine-identity';
import type { DetectedFace, DetectOptions, FaceDetector, FaceEmbedder, FaceMatcher, FaceTemplate, RgbImage } from './types';

export type { MatcherKind } from './engine-identity';

/** The decision threshold a matcher runs at: the cosine threshold, or MIN_MATCH_COUNT inliers for keypoints. */
export function operatingThreshold(matcher: MatcherKind, opts: { threshold?: number; minMatchCount?: number } = {}): number {
  return matcher === 'embedding' ? (opts.threshold ?? DEFAULT_EMBEDDING_THRESHOLD) : (opts.minMatchCount ?? DEFAULT_MIN_MATCH_COUNT);
}

export type FaceEngineOptions = {
  matcher?: MatcherKind;
  embedder?: EmbedderName;
  keypointDetector?: 'akaze' | 'orb';
  /** Embedding matcher: cosine threshold. Keypoints matcher: ignored (uses minMatchCount). */
  threshold?: number;
  minMatchCount?: number;
  detector?: DetectorName;
};

function loadDetector(name: DetectorName): Promise<FaceDetector> {
  return name === 'ultraface' ? UltraFaceDetector.load() : BlazeFaceDetector.load();
}

function loadEmbedder(name: EmbedderName): Promise<FaceEmbedder> {
  return name === 'arcface' ? ArcFaceEmbedder.load(embedderIdentity(name)) : DeepEmbedder.load(name);
}

export type AnalyzedFace = { face: DetectedFace; template: FaceTemplate };

export class FaceEngine {
  private constructor(
    readonly detector: FaceDetector,
    readonly embedder: FaceEmbedder,
    private readonly opts: FaceEngineOptions & { matcher: MatcherKind },
  ) {}

  static async load(opts: FaceEngineOptions = {}): Promise<FaceEngine> {
    const matcher = opts.matcher ?? 'embedding';
    const [detector, embedder] = await Promise.all([
      loadDetector(opts.detector ?? DEFAULT_DETECTOR),
      matcher === 'embedding' ? loadEmbedder(opts.embedder ?? DEFAULT_EMBEDDER) : Promise.resolve(new KeypointEmbedder({ detector: opts.keypointDetector ?? 'akaze' })),
    ]);
    return new FaceEngine(detector, embedder, { ...opts, matcher });
  }

  get matcherKind(): MatcherKind {
    return this.opts.matcher;
  }

  get threshold(): number {
    return operatingThreshold(this.opts.matcher, this.opts);
  }

  /** An empty gallery for this engine's templates. */
  async createMatcher(opts: { minMargin?: number } = {}): Promise<FaceMatcher> {
    if (this.opts.matcher === 'embedding') {
      return new EmbeddingMatcher({ model: this.embedder.model, version: this.embedder.version, threshold: this.threshold, minMargin: opts.minMargin });
    }
    return KeypointMatcher.create({ detector: this.opts.keypointDetector ?? 'akaze', minMatchCount: this.threshold });
  }

  decode(bytes: Buffer | Uint8Array): Promise<RgbImage> {
    return decodeImage(bytes);
  }

  detect(image: RgbImage, opts?: DetectOptions): Promise<DetectedFace[]> {
    return this.detector.detect(image, opts);
  }

  extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return this.embedder.extract(image, face);
  }

  /** Template of a face on an enrollment photo (may cost more than a probe's). */
  extractForEnrollment(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return this.embedder.extractForEnrollment ? this.embedder.extractForEnrollment(image, face) : this.embedder.extract(image, face);
  }

  /** Every face in the picture with its template, largest first. */
  async analyze(image: RgbImage, opts?: DetectOptions): Promise<AnalyzedFace[]> {
    const faces = (await this.detect(image, opts)).sort((a, b) => b.box.width - a.box.width);
    const out: AnalyzedFace[] = [];
    for (const face of faces) out.push({ face, template: await this.extract(image, face) });
    return out;
  }

  /** Quality gate + template for an enrollment photo. */
  async enrollmentTemplate(bytes: Buffer | Uint8Array): Promise<{ verdict: QualityVerdict; template: FaceTemplate | null; width: number; height: number }> {
    const image = await this.decode(bytes);
    const verdict = checkEnrollmentQuality(image, await this.detect(image));
    const template = verdict.status === 'accepted' ? await this.extractForEnrollment(image, verdict.face) : null;
    return { verdict, template, width: image.width, height: image.height };
  }
}
