/**
 * Keypoint "embedder" of the keypoint baseline: the face is aligned on its 5 landmarks into a grey
 * chip, contrast-equalised with CLAHE, and described by binary AKAZE features. The template is the list of keypoints with their descriptors (see template-format.ts).
 * The matching side is KeypointMatcher (ratio test + RANSAC inliers ≥ MIN_MATCH_COUNT).
 */
import { alignFace, chipToGrey } from '../align';
import { KEYPOINT_MODEL_VERSION } from '../engine-identity';
import type { DetectedFace, FaceEmbedder, FaceTemplate, RgbImage } from '../types';
import { loadOpenCv, type CvAKAZE, type CvKeyPoint, type OpenCv } from './opencv';
import { serializeKeypointTemplate, type KeypointDetectorName } from './template-format';

export { parseKeypointTemplate, serializeKeypointTemplate, KeypointTemplateError } from './template-format';
export type { KeypointTemplate, KeypointDetectorName } from './template-format';

export { KEYPOINT_MODEL_VERSION };

export function keypointModelName(detector: KeypointDetectorName): string {
  return `keypoints-${detector}`;
}

export type KeypointEmbedderOptions = {
  detector?: KeypointDetectorName;
  /** Side of the aligned chip in pixels. */
  chipSize?: number;
  /** alignFace zoom: < 1 keeps more context (forehead, jaw) around the 5-landmark template. */
  zoom?: number;
  /** CLAHE clip limit (0 disables CLAHE) and tile grid. */
  claheClip?: number;
  claheTiles?: number;
  /** AKAZE detector response threshold (OpenCV default 0.001; lower finds more keypoints). */
  akazeThreshold?: number;
  /** Keep at most this many keypoints, strongest first. */
  maxKeypoints?: number;
};

export const DEFAULT_KEYPOINT_EMBEDDER_OPTIONS: Required<KeypointEmbedderOptions> = {
  detector: 'akaze',
  chipSize: 160,
  zoom: 0.8,
  claheClip: 2,
  claheTiles: 4,
  akazeThreshold: 0.0005,
  maxKeypoints: 300,
};

export type ExtractedKeypoints = {
  x: Float32Array;
  y: Float32Array;
  size: Float32Array;
  angle: Float32Array;
  descriptors: Uint8Array;
  descriptorBytes: number;
  count: number;
};

/** `defaults` overridden by the options that are set (an explicit `undefined` keeps the default). */
export function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export class KeypointEmbedder implements FaceEmbedder {
  readonly model: string;
  readonly version = KEYPOINT_MODEL_VERSION;
  readonly options: Readonly<Required<KeypointEmbedderOptions>>;

  constructor(options: KeypointEmbedderOptions = {}) {
    this.options = withDefaults(DEFAULT_KEYPOINT_EMBEDDER_OPTIONS, options);
    if (this.options.detector !== 'akaze')
      throw new Error(`Unknown keypoint detector "${String(this.options.detector)}"`);
    this.model = keypointModelName(this.options.detector);
  }

  async extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    const cv = await loadOpenCv();
    const { chipSize, zoom } = this.options;
    const grey = chipToGrey(alignFace(image, face.landmarks, chipSize, zoom));
    const kp = this.describeGrey(cv, grey, chipSize);
    const data = serializeKeypointTemplate({ detector: this.options.detector, chipSize, ...kp });
    return { model: this.model, version: this.version, data };
  }

  /** Keypoints + descriptors of an 8-bit grey `side`×`side` chip (exposed for tests and tuning). */
  describeGrey(cv: OpenCv, grey: Uint8Array, side: number): ExtractedKeypoints {
    const o = this.options;
    const src = cv.matFromArray(side, side, cv.CV_8UC1, grey);
    const eq = new cv.Mat();
    const mask = new cv.Mat();
    const keypoints = new cv.KeyPointVector();
    const desc = new cv.Mat();
    let clahe: { apply(a: unknown, b: unknown): void; delete(): void } | null = null;
    let detector: CvAKAZE | null = null;
    try {
      let img = src;
      if (o.claheClip > 0) {
        clahe = new cv.CLAHE(o.claheClip, new cv.Size(o.claheTiles, o.claheTiles));
        clahe.apply(src, eq);
        img = eq;
      }
      detector = new cv.AKAZE();
      detector.setThreshold(o.akazeThreshold);
      detector.detectAndCompute(img, mask, keypoints, desc, false);
      const n = keypoints.size();
      const d = n > 0 ? desc.cols : 61;
      const all: Array<{ kp: CvKeyPoint; row: number }> = [];
      for (let i = 0; i < n; i++) all.push({ kp: keypoints.get(i), row: i });
      // Strongest first; keep at most maxKeypoints.
      all.sort((a, b) => b.kp.response - a.kp.response);
      const kept = all.slice(0, o.maxKeypoints);
      const count = kept.length;
      const out: ExtractedKeypoints = {
        x: new Float32Array(count),
        y: new Float32Array(count),
        size: new Float32Array(count),
        angle: new Float32Array(count),
        descriptors: new Uint8Array(count * d),
        descriptorBytes: d,
        count,
      };
      const bytes = desc.data;
      kept.forEach(({ kp, row }, i) => {
        out.x[i] = Math.min(side, Math.max(0, kp.pt.x));
        out.y[i] = Math.min(side, Math.max(0, kp.pt.y));
        out.size[i] = kp.size;
        out.angle[i] = kp.angle;
        out.descriptors.set(bytes.subarray(row * d, (row + 1) * d), i * d);
      });
      return out;
    } finally {
      detector?.delete();
      clahe?.delete();
      desc.delete();
      keypoints.delete();
      mask.delete();
      eq.delete();
      src.delete();
    }
  }
}
