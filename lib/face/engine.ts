/**
 * The recognition engine: one detector, one template extractor and a matcher factory, chosen by
 * config (`MATCHER=embedding|keypoints`). Used in-process by the CLI and inside the worker threads
 * of `engine-pool.ts` by the camera worker and the web app.
 */
import { DEFAULT_MIN_MATCH_COUNT } from './config';
import { operatingThreshold, type EngineOptions } from './engine-config';
import { BlazeFaceDetector } from './detector';
import { UltraFaceDetector } from './onnx/ultraface-detector';
import { DeepEmbedder } from './embedder';
import { ArcFaceEmbedder } from './onnx/arcface-embedder';
import {
  ARCFACE_DIMS,
  ARCFACE_IDENTITY,
  sameEngine,
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  embedderIdentity,
  type DetectorName,
  type EmbedderName,
} from './engine-identity';
import { EmbeddingMatcher } from './embedding-matcher';
import { decodeImage } from './image';
import { KeypointEmbedder } from './keypoints/keypoint-embedder';
import { KeypointMatcher } from './keypoints/keypoint-matcher';
import { FacepluginLiveness, type LivenessModel } from './liveness';
import { ClassMoodModel, type MoodModel, type MoodReading } from './mood';
import { checkEnrollmentQuality, type QualityVerdict } from './quality';
import { CLASSROOM_FACE_WIDTHS, classroomRendition } from './classroom-renditions';
import { bytesToEmbedding, embeddingToBytes } from './embedding-bytes';
import { FusedEmbedding } from './fusion';
import type { MatcherKind } from './engine-identity';
import type {
  DetectedFace,
  DetectOptions,
  FaceBox,
  FaceDetector,
  FaceEmbedder,
  FaceMatcher,
  FaceTemplate,
  RgbImage,
} from './types';

export type { MatcherKind } from './engine-identity';
export { operatingThreshold } from './engine-config';

export type FaceEngineOptions = EngineOptions;

/**
 * The model registry: how to load each detector / embedder name. An embedder's template identity
 * (`embedderIdentity`, engine-identity.ts) and default threshold (`EMBEDDING_THRESHOLDS`, config.ts)
 * live in weight-free modules so the web app can read them without loading a model.
 */
export const DETECTORS: Record<DetectorName, { load: () => Promise<FaceDetector> }> = {
  ultraface: { load: () => UltraFaceDetector.load() },
  blazeface: { load: () => BlazeFaceDetector.load() },
};

export const EMBEDDERS: Record<EmbedderName, { load: () => Promise<FaceEmbedder> }> = {
  arcface: { load: () => ArcFaceEmbedder.load(embedderIdentity('arcface')) },
  fused: { load: () => DeepEmbedder.load('fused') },
  mobileface: { load: () => DeepEmbedder.load('mobileface') },
  faceres: { load: () => DeepEmbedder.load('faceres') },
};

export type AnalyzedFace = { face: DetectedFace; template: FaceTemplate };

export class FaceEngine {
  private constructor(
    readonly detector: FaceDetector,
    readonly embedder: FaceEmbedder,
    /** `legacyEmbedders`: previous models, for students not yet rebuilt (see EngineOptions). */
    readonly legacy: readonly FaceEmbedder[],
    private readonly opts: FaceEngineOptions & { matcher: MatcherKind },
  ) {}

  static async load(opts: FaceEngineOptions = {}): Promise<FaceEngine> {
    const matcher = opts.matcher ?? 'embedding';
    const current = opts.embedder ?? DEFAULT_EMBEDDER;
    const legacyNames =
      matcher === 'embedding' ? [...new Set(opts.legacyEmbedders ?? [])].filter((n) => n !== current) : [];
    const [detector, embedder, ...legacy] = await Promise.all([
      DETECTORS[opts.detector ?? DEFAULT_DETECTOR].load(),
      matcher === 'embedding'
        ? EMBEDDERS[current].load()
        : Promise.resolve(new KeypointEmbedder({ detector: opts.keypointDetector ?? 'akaze' })),
      ...legacyNames.map((n) => EMBEDDERS[n].load()),
    ]);
    return new FaceEngine(detector, embedder, legacy, { ...opts, matcher });
  }

  get matcherKind(): MatcherKind {
    return this.opts.matcher;
  }

  get threshold(): number {
    return operatingThreshold(this.opts);
  }

  /** An empty gallery for this engine's templates. */
  async createMatcher(opts: { minMargin?: number } = {}): Promise<FaceMatcher> {
    if (this.opts.matcher === 'embedding') {
      return new EmbeddingMatcher({
        model: this.embedder.model,
        version: this.embedder.version,
        threshold: this.threshold,
        minMargin: opts.minMargin,
        dual: this.dualTemplates ? { dims: ARCFACE_DIMS } : undefined,
      });
    }
    return KeypointMatcher.create({
      detector: this.opts.keypointDetector ?? 'akaze',
      minMatchCount: this.opts.minMatchCount ?? DEFAULT_MIN_MATCH_COUNT,
    });
  }

  decode(bytes: Buffer | Uint8Array): Promise<RgbImage> {
    return decodeImage(bytes);
  }

  detect(image: RgbImage, opts?: DetectOptions): Promise<DetectedFace[]> {
    return this.detector.detect(image, opts);
  }

  /** A probe's template, with the width of its face (small faces are matched against classroom templates). */
  async extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return { ...(await this.embedder.extract(image, face)), faceWidth: face.box.width };
  }

  /** The face's templates from every legacy embedder (empty when none is loaded). */
  async extractLegacy(image: RgbImage, face: DetectedFace): Promise<FaceTemplate[]> {
    const out: FaceTemplate[] = [];
    for (const e of this.legacy) out.push(await e.extract(image, face));
    return out;
  }

  private livenessModel: Promise<LivenessModel> | null = null;

  /** Probability that the face in `box` is a live person (loaded on first use: cameras with liveness off never pay for it). */
  async liveness(image: RgbImage, box: FaceBox): Promise<number> {
    if (!this.livenessModel) {
      this.livenessModel = FacepluginLiveness.load();
      this.livenessModel.catch(() => (this.livenessModel = null));
    }
    return (await this.livenessModel).score(image, box);
  }

  private moodModel: Promise<MoodModel> | null = null;

  /** How the face looks (class mood; loaded on first use: courses without class mood never pay for it). */
  async mood(image: RgbImage, face: DetectedFace): Promise<MoodReading | null> {
    if (!this.moodModel) {
      this.moodModel = ClassMoodModel.load();
      this.moodModel.catch(() => (this.moodModel = null));
    }
    return (await this.moodModel).read(image, face);
  }

  /** Whether this engine's enrolment templates are [sharp | classroom] pairs (embedding-matcher.ts, dual). */
  get dualTemplates(): boolean {
    return this.opts.matcher === 'embedding' && sameEngine(ARCFACE_IDENTITY, this.embedder);
  }

  /**
   * Template of a face on an enrollment photo (may cost more than a probe's). The current ArcFace
   * templates hold two embeddings: the sharp face, and the mean of the face as a classroom camera
   * would see it at 22, 30 and 40 px (classroom-renditions.ts); probes are matched against the one
   * their size calls for. A face too small for any rendition uses its sharp embedding for both.
   */
  async extractForEnrollment(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    const embed = (img: RgbImage, f: DetectedFace) =>
      this.embedder.extractForEnrollment ? this.embedder.extractForEnrollment(img, f) : this.embedder.extract(img, f);
    const sharp = await embed(image, face);
    const widths = this.opts.classroomRenditions ?? CLASSROOM_FACE_WIDTHS;
    if (!this.dualTemplates || widths.length === 0) return sharp;
    const sharpVector = bytesToEmbedding(sharp.data);
    const classroom = new FusedEmbedding();
    for (const width of widths) {
      const small = await classroomRendition(image, face, width);
      if (small) classroom.add(bytesToEmbedding((await embed(small.image, small.face)).data), 1);
    }
    const pair = new Float32Array(2 * sharpVector.length);
    pair.set(sharpVector);
    pair.set(classroom.vector() ?? sharpVector, sharpVector.length);
    return { model: sharp.model, version: sharp.version, data: embeddingToBytes(pair) };
  }

  /** Every face in the picture with its template, largest first. */
  async analyze(image: RgbImage, opts?: DetectOptions): Promise<AnalyzedFace[]> {
    const faces = (await this.detect(image, opts)).sort((a, b) => b.box.width - a.box.width);
    const out: AnalyzedFace[] = [];
    for (const face of faces) out.push({ face, template: await this.extract(image, face) });
    return out;
  }

  /**
   * Template of the largest face on a photo that was already accepted at enrollment (template
   * rebuilds after a model change): no quality gate, so a student never drops out because the new
   * detector measures the face a little differently. Null when no face is found at all.
   */
  async templateForAcceptedPhoto(bytes: Buffer | Uint8Array): Promise<FaceTemplate | null> {
    const image = await this.decode(bytes);
    const face = (await this.detect(image)).sort((a, b) => b.box.width - a.box.width)[0];
    return face ? this.extractForEnrollment(image, face) : null;
  }

  /** Quality gate + template for an enrollment photo. */
  async enrollmentTemplate(
    bytes: Buffer | Uint8Array,
  ): Promise<{ verdict: QualityVerdict; template: FaceTemplate | null; width: number; height: number }> {
    const image = await this.decode(bytes);
    const verdict = checkEnrollmentQuality(image, await this.detect(image));
    const template = verdict.status === 'accepted' ? await this.extractForEnrollment(image, verdict.face) : null;
    return { verdict, template, width: image.width, height: image.height };
  }
}
