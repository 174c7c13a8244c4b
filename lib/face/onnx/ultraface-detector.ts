/**
 * Face detector on ONNX Runtime: faceplugin's `fr_detect.onnx` (UltraFace RFB-320: 320×240 input,
 * (x − 127) / 128, 4,420 priors from 10 to 256 px, boxes decoded inside the graph) finds faces, then
 * `fr_landmark.onnx` (68 points from a 64×64 grey crop of the box) gives the 5 points we align with.
 *
 * The frame is letterboxed into the 320×240 input (aspect kept). Faces smaller than `minFaceSize`
 * would shrink below the detector's smallest prior, so the frame is also scanned in tiles at a
 * scale where such a face is ~20 px on the input. A photo where the head fills the picture (ID-card
 * photos, tight crops) is retried on a padded canvas when the first pass finds nothing.
 */
import { applyAffine, warpToChip, type Affine } from '../align';
import { nms, poseFromLandmarks } from '../boxes';
import type { DetectedFace, FaceBox, FaceDetector, Point, RgbImage } from '../types';
import { onnxSession, runOnnx, type ort } from './runtime';

const IN_W = 320;
const IN_H = 240;
const LM_SIZE = 64;
/** Face width on the detector input that the tiled scan aims for (its priors start at 10 px). */
const TARGET_FACE_ON_INPUT = 20;

export type DetectorOptions = {
  /** Smallest face width (pixels) to look for; 0 scans the whole frame only. */
  minFaceSize?: number;
  minScore?: number;
  maxFaces?: number;
  /** Retry a frame without faces on a canvas padded by this fraction per side (0 turns it off). */
  padRetry?: number;
};

type Candidate = { box: FaceBox; score: number };
/** A square or 4:3 window of the frame, mapped onto the detector input by `toInput`. */
type Region = { toInput: Affine; scale: number };

/** Windows to scan: the whole frame letterboxed, plus tiles when faces below what it can see are expected. */
export function detectorRegions(width: number, height: number, minFaceSize: number): Region[] {
  const fit = Math.min(IN_W / width, IN_H / height);
  const whole: Region = { scale: fit, toInput: [fit, 0, (IN_W - width * fit) / 2, 0, fit, (IN_H - height * fit) / 2] };
  const regions = [whole];
  if (minFaceSize <= 0) return regions;
  let scale = TARGET_FACE_ON_INPUT / minFaceSize;
  // Each level halves the scale until the whole-frame pass already covers it.
  while (scale > fit * 1.4) {
    const tw = IN_W / scale, th = IN_H / scale;
    const stepX = tw * 0.75, stepY = th * 0.75;
    const nx = Math.max(1, Math.ceil((width - tw) / stepX) + 1), ny = Math.max(1, Math.ceil((height - th) / stepY) + 1);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const x0 = nx === 1 ? (width - tw) / 2 : (i * (width - tw)) / (nx - 1);
        const y0 = ny === 1 ? (height - th) / 2 : (j * (height - th)) / (ny - 1);
        regions.push({ scale, toInput: [scale, 0, -x0 * scale, 0, scale, -y0 * scale] });
      }
    }
    scale /= 2;
  }
  return regions;
}

/** HWC 0..255 chip → NCHW (x − 127) / 128. */
function toNchw(chip: Float32Array, w: number, h: number): Float32Array {
  const plane = w * h;
  const out = new Float32Array(3 * plane);
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[i] = (chip[j] - 127) / 128;
    out[plane + i] = (chip[j + 1] - 127) / 128;
    out[2 * plane + i] = (chip[j + 2] - 127) / 128;
  }
  return out;
}

/** The image on a larger canvas (edge pixels repeated), and the shift back to the original. */
function padded(image: RgbImage, fraction: number): { image: RgbImage; dx: number; dy: number } {
  const dx = Math.round(image.width * fraction), dy = Math.round(image.height * fraction);
  const width = image.width + 2 * dx, height = image.height + 2 * dy;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, y - dy));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, x - dx));
      const s = (sy * image.width + sx) * 3, d = (y * width + x) * 3;
      data[d] = image.data[s]; data[d + 1] = image.data[s + 1]; data[d + 2] = image.data[s + 2];
    }
  }
  return { image: { data, width, height }, dx, dy };
}

const mean = (pts: Point[]): Point => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];

/** The 5 alignment points from the 68-point (iBUG) layout: eye centres, nose tip, mouth corners. */
export function fivePointsFrom68(p: Point[]): [Point, Point, Point, Point, Point] {
  return [mean([p[37], p[38], p[40], p[41]]), mean([p[43], p[44], p[46], p[47]]), p[30], mean([p[48], p[60]]), mean([p[54], p[64]])];
}

export class UltraFaceDetector implements FaceDetector {
  readonly name = 'ultraface-rfb320+landmark68';
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly lm: ort.InferenceSession,
    private readonly opts: Required<DetectorOptions>,
  ) {}

  static async load(opts: DetectorOptions = {}): Promise<UltraFaceDetector> {
    const [det, lm] = await Promise.all([onnxSession('fr_detect.onnx'), onnxSession('fr_landmark.onnx')]);
    return new UltraFaceDetector(det, lm, { minFaceSize: 0, minScore: 0.7, maxFaces: 50, padRetry: 0.4, ...opts });
  }

  async detect(image: RgbImage, opts: DetectorOptions = {}): Promise<DetectedFace[]> {
    const o = { ...this.opts, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<DetectorOptions>;
    const faces = await this.detectOnce(image, o);
    if (faces.length > 0 || o.padRetry <= 0) return faces;
    const pad = padded(image, o.padRetry);
    const again = await this.detectOnce(pad.image, o);
    const shift = (p: Point): Point => [p[0] - pad.dx, p[1] - pad.dy];
    return again.map((f) => ({
      ...f,
      box: { ...f.box, x: f.box.x - pad.dx, y: f.box.y - pad.dy },
      landmarks: f.landmarks.map(shift) as DetectedFace['landmarks'],
    }));
  }

  private async detectOnce(image: RgbImage, o: Required<DetectorOptions>): Promise<DetectedFace[]> {
    const cands: Candidate[] = [];
    for (const r of detectorRegions(image.width, image.height, o.minFaceSize)) cands.push(...(await this.detectRegion(image, r, o.minScore)));
    const out: DetectedFace[] = [];
    for (const c of nms(cands, 0.4).slice(0, o.maxFaces)) {
      const face = await this.landmarks(image, c);
      if (face) out.push(face);
    }
    return out.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }

  private async detectRegion(image: RgbImage, r: Region, minScore: number): Promise<Candidate[]> {
    const chip = warpToChip(image, r.toInput, IN_W, IN_H, 127);
    const { scores, boxes } = await runOnnx(this.det, toNchw(chip, IN_W, IN_H), [1, 3, IN_H, IN_W]);
    const [a, , c, , e, f] = r.toInput;
    const out: Candidate[] = [];
    for (let i = 0; i < scores.length / 2; i++) {
      const score = scores[2 * i + 1];
      if (score < minScore) continue;
      // Corner form, relative to the input; back to frame pixels.
      const x1 = (boxes[4 * i] * IN_W - c) / a, y1 = (boxes[4 * i + 1] * IN_H - f) / e;
      const x2 = (boxes[4 * i + 2] * IN_W - c) / a, y2 = (boxes[4 * i + 3] * IN_H - f) / e;
      if (x2 - x1 < 2 || y2 - y1 < 2) continue;
      out.push({ box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score });
    }
    return out;
  }

  /** 68 landmarks on a 64×64 grey crop of the box (the layout fr_landmark was trained on), reduced to 5. */
  private async landmarks(image: RgbImage, c: Candidate): Promise<DetectedFace | null> {
    const { x, y, width, height } = c.box;
    const sx = LM_SIZE / width, sy = LM_SIZE / height;
    const chip = warpToChip(image, [sx, 0, -x * sx, 0, sy, -y * sy], LM_SIZE, LM_SIZE);
    const grey = new Float32Array(LM_SIZE * LM_SIZE);
    for (let i = 0, j = 0; i < grey.length; i++, j += 3) grey[i] = (0.299 * chip[j] + 0.587 * chip[j + 1] + 0.114 * chip[j + 2]) / 256;
    const out = Object.values(await runOnnx(this.lm, grey, [1, 1, LM_SIZE, LM_SIZE]))[0];
    const pts: Point[] = [];
    for (let k = 0; k < 68; k++) pts.push(applyAffine([width, 0, x, 0, height, y], [out[2 * k], out[2 * k + 1]]));
    const landmarks = fivePointsFrom68(pts);
    const pose = poseFromLandmarks(landmarks);
    if (!pose) return null;
    return { box: c.box, score: c.score, landmarks, pose };
  }
}

