/**
 * The recognition engine: one detector and one template extractor, chosen by config (MATCHER,
 * FACE_EMBEDDER, FACE_DETECTOR), and what is read from a camera frame (`analyzeFrame`). The web app
 * (web-engine.ts) and the admin CLI use it in-process; the camera worker, and the CLI for large
 * imports, run it in the threads of `engine-pool.ts`. Galleries come from lib/recognition/matcher-factory.ts.
 */
import { iou } from './boxes';
import { operatingThreshold, type EngineOptions } from './engine-config';
import type { CameraFrameAnalysis, EnrollmentAnalysis, FrameRequest } from './engine-protocol';
import { UltraFaceDetector } from './onnx/ultraface-detector';
import { DeepEmbedder } from './embedder';
import { ArcFaceEmbedder } from './onnx/arcface-embedder';
import {
  ARCFACE_IDENTITY,
  sameEngine,
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  DEFAULT_MATCHER,
  embedderIdentity,
  type DetectorName,
  type EmbedderName,
  type MatcherKind,
} from './engine-identity';
import { decodeImage } from './image';
import { KeypointEmbedder } from './keypoints/keypoint-embedder';
import { FacepluginLiveness, type LivenessModel } from './liveness';
import { ClassMoodModel, type MoodModel, type MoodReading, type MoodSample } from './mood';
import { checkEnrollmentQuality } from './quality';
import { CLASSROOM_FACE_WIDTHS, classroomRendition } from './classroom-renditions';
import { bytesToEmbedding, embeddingToBytes } from './embedding-bytes';
import { FusedEmbedding } from './fusion';
import { faceBrightness } from './sighting-quality';
import type {
  DetectedFace,
  DetectOptions,
  FaceBox,
  FaceCandidate,
  FaceDetector,
  FaceEmbedder,
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
};

export const EMBEDDERS: Record<EmbedderName, { load: () => Promise<FaceEmbedder> }> = {
  arcface: { load: () => ArcFaceEmbedder.load(embedderIdentity('arcface')) },
  fused: { load: () => DeepEmbedder.load('fused') },
  mobileface: { load: () => DeepEmbedder.load('mobileface') },
  faceres: { load: () => DeepEmbedder.load('faceres') },
};

export type AnalyzedFace = { face: DetectedFace; template: FaceTemplate };

const moodSample = (r: MoodReading | null): MoodSample | null =>
  r ? { mood: r.mood, eyesRead: r.eyesClosed !== null } : null;

export class FaceEngine {
  private constructor(
    readonly detector: FaceDetector,
    readonly embedder: FaceEmbedder,
    /** `legacyEmbedders`: previous models, for students not yet rebuilt (see EngineOptions). */
    readonly legacy: readonly FaceEmbedder[],
    private readonly opts: FaceEngineOptions & { matcher: MatcherKind },
  ) {}

  static async load(opts: FaceEngineOptions = {}): Promise<FaceEngine> {
    const matcher = opts.matcher ?? DEFAULT_MATCHER;
    const current = opts.embedder ?? DEFAULT_EMBEDDER;
    const legacyNames =
      matcher === 'embedding' ? [...new Set(opts.legacyEmbedders ?? [])].filter((n) => n !== current) : [];
    const [detector, embedder, ...legacy] = await Promise.all([
      DETECTORS[opts.detector ?? DEFAULT_DETECTOR].load(),
      matcher === 'embedding' ? EMBEDDERS[current].load() : Promise.resolve(new KeypointEmbedder()),
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
   * A camera frame's faces, largest first. Embedding costs several detections, so faces the caller
   * already knows (tracks between their votes: `skipBoxes`) are only detected, and, when the detector
   * can do it in two steps, landmarks are only located for the faces to embed (and, on a mood frame,
   * for every face: the eye crops need them). `focusBoxes`: between a camera's full scans, look only
   * around its known faces (detectors that can; others scan the whole frame).
   */
  async analyzeFrame(image: RgbImage, request: FrameRequest = {}): Promise<CameraFrameAnalysis> {
    const { detector } = this;
    const twoStep =
      detector.findFaces && detector.locate
        ? { find: detector.findFaces.bind(detector), locate: detector.locate.bind(detector) }
        : null;
    const found: FaceCandidate[] = twoStep
      ? await twoStep.find(image, { minFaceSize: request.minFaceSize, focusBoxes: request.focusBoxes })
      : await this.detect(image, { minFaceSize: request.minFaceSize });
    found.sort((a, b) => b.box.width - a.box.width);
    const skip = request.skipBoxes ?? [];
    const faces: CameraFrameAnalysis['faces'] = [];
    for (const candidate of found) {
      if (skip.some((b) => iou(b, candidate.box) >= (request.skipIoU ?? 0.3))) {
        const located = request.mood
          ? twoStep
            ? await twoStep.locate(image, candidate)
            : (candidate as DetectedFace)
          : null;
        const mood = located ? moodSample(await this.mood(image, located)) : null;
        faces.push({ face: candidate, template: null, legacy: [], liveness: null, mood });
        continue;
      }
      const face = twoStep ? await twoStep.locate(image, candidate) : (candidate as DetectedFace);
      if (!face) continue;
      faces.push({
        face,
        template: await this.extract(image, face),
        legacy: request.legacy ? await this.extractLegacy(image, face) : [],
        // Scored on the sightings that are embedded: each is one vote, for identity and for liveness.
        liveness: request.liveness ? await this.liveness(image, face.box) : null,
        brightness: faceBrightness(image, face.box),
        mood: request.mood ? moodSample(await this.mood(image, face)) : null,
      });
    }
    return { width: image.width, height: image.height, faces };
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
  async enrollmentTemplate(bytes: Buffer | Uint8Array): Promise<EnrollmentAnalysis> {
    const image = await this.decode(bytes);
    const verdict = checkEnrollmentQuality(image, await this.detect(image));
    const template = verdict.status === 'accepted' ? await this.extractForEnrollment(image, verdict.face) : null;
    return { verdict, template, width: image.width, height: image.height };
  }
}
