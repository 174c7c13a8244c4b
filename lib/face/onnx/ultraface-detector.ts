/**
 * Face detector on ONNX Runtime: faceplugin's `fr_detect.onnx` (UltraFace RFB-320: 320×240 input,
 * (x − 127) / 128, 4,420 priors from 10 to 256 px, boxes decoded inside the graph) finds faces, then
 * `fr_landmark.onnx` (68 points from a 64×64 grey crop of the box) gives the 5 points we align with.
 *
 * Without `minFaceSize` the frame is letterboxed into the 320×240 input (aspect kept). Camera frames
 * ask for small faces (default 20 px), which would shrink below the detector's smallest prior, so the
 * frame is scanned in overlapping tiles at a scale where such a face is ~15 px on the input (a VGA
 * frame: 2 × 2 tiles of 427 × 320 at scale 0.75). A box touching a tile's inner edge is a cut face
 * and is dropped (a neighbour sees it whole); only when a cut face is too large for any tile does
 * the whole-frame pass run too. Boxes lying inside a larger face are dropped. bench:detect, VGA:
 * recall 98.7 % at 20–24 px, 99.8 % ≥ 32 px, 0.01 false detections per frame.
 *
 * A photo where the head fills the picture (ID-card photos, tight crops) is retried on a padded
 * canvas when the first pass finds nothing, with its brightness equalised (a face darkened by a side
 * light is often what the first pass missed).
 */
import { applyAffine, warpToChip, type Affine } from '../align';
import { nms, poseFromLandmarks } from '../boxes';
import { equalizeLuminance } from '../illumination';
import type { DetectedFace, FaceBox, FaceDetector, Point, RgbImage } from '../types';
import { onnxSession, runOnnx, type ort } from './runtime';
import { boxFromCell, focusMosaics, type FocusCell } from './scan-plan';

const IN_W = 320;
const IN_H = 240;
const LM_SIZE = 64;
/**
 * Face width on the detector input that the tiled scan aims for (its priors start at 10 px). bench:detect:
 * on the whole-frame pass alone, faces 12–16 px on the input are found 96.9 % of the time, 10–12 px
 * 78 %; at 15 a 20 px face in a VGA frame needs scale 0.75, i.e. 2 × 2 tiles instead of 3 × 3.
 */
const TARGET_FACE_ON_INPUT = 15;
/** A tile's box this close to a tile edge that is not the frame's edge is a cut face: another tile or the whole frame sees it whole. */
const EDGE_MARGIN_ON_INPUT = 2;
/** A box this much inside a larger kept box is a part of that face (a mouth, a cheek), not a face. */
const MAX_CONTAINED = 0.6;

export type DetectorOptions = {
  /** Smallest face width (pixels) to look for; 0 scans the whole frame only. */
  minFaceSize?: number;
  minScore?: number;
  maxFaces?: number;
  /** Retry a frame without faces on a canvas padded by this fraction per side (0 turns it off). */
  padRetry?: number;
};

type Candidate = { box: FaceBox; score: number };
/**
 * A window of the frame, scaled by `scale` and shifted onto the detector input by `toInput` (no
 * rotation). Tiles also say how far they overlap their neighbours (frame pixels): a face up to that
 * size is seen whole by at least one tile.
 */
type Region = { toInput: Affine; scale: number; tile: boolean; overlap: { x: number; y: number } };

/** Windows to scan: the whole frame letterboxed first, then tiles when faces below what it can see are expected. */
export function detectorRegions(width: number, height: number, minFaceSize: number): Region[] {
  const fit = Math.min(IN_W / width, IN_H / height);
  const whole: Region = {
    scale: fit,
    tile: false,
    overlap: { x: Infinity, y: Infinity },
    toInput: [fit, 0, (IN_W - width * fit) / 2, 0, fit, (IN_H - height * fit) / 2],
  };
  const regions = [whole];
  if (minFaceSize <= 0) return regions;
  let scale = TARGET_FACE_ON_INPUT / minFaceSize;
  // Each level halves the scale until the whole-frame pass already covers it.
  while (scale > fit * 1.4) {
    const tw = IN_W / scale,
      th = IN_H / scale;
    const stepX = tw * 0.75,
      stepY = th * 0.75;
    const nx = Math.max(1, Math.ceil((width - tw) / stepX) + 1),
      ny = Math.max(1, Math.ceil((height - th) / stepY) + 1);
    const overlap = {
      x: nx === 1 ? Infinity : tw - (width - tw) / (nx - 1),
      y: ny === 1 ? Infinity : th - (height - th) / (ny - 1),
    };
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const x0 = nx === 1 ? (width - tw) / 2 : (i * (width - tw)) / (nx - 1);
        const y0 = ny === 1 ? (height - th) / 2 : (j * (height - th)) / (ny - 1);
        // Whole pixels of the scaled frame, so tiles can be cut from one resampling per scale.
        regions.push({
          scale,
          tile: true,
          overlap,
          toInput: [scale, 0, -Math.round(x0 * scale), 0, scale, -Math.round(y0 * scale)],
        });
      }
    }
    scale /= 2;
  }
  return regions;
}

/**
 * Bilinear taps along one axis: for each output index, the two source indices and the weight of the
 * second, and whether it falls inside the source (`clamp`: edge pixels repeat, everything is inside).
 */
function taps(outSize: number, scale: number, shift: number, srcSize: number, clamp: boolean) {
  const i0 = new Int32Array(outSize),
    i1 = new Int32Array(outSize),
    w = new Float32Array(outSize),
    inside = new Uint8Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = (o - shift) / scale;
    inside[o] = clamp || (s >= -0.5 && s <= srcSize - 0.5) ? 1 : 0;
    const f = Math.floor(s);
    i0[o] = Math.min(srcSize - 1, Math.max(0, f));
    i1[o] = Math.min(srcSize - 1, Math.max(0, f + 1));
    w[o] = s - f;
  }
  return { i0, i1, w, inside };
}

/**
 * `width` × `height` of the frame scaled by (`scaleX`, `scaleY`) and shifted by (`shiftX`, `shiftY`), bilinear (as
 * warpToChip, but separable: regions are only scaled and shifted), NCHW, (x − 127) / 128. Outside the
 * frame the output is grey (0 after normalising), or with `clamp` the edge pixels repeat.
 */
function resample(
  image: RgbImage,
  width: number,
  height: number,
  scaleX: number,
  shiftX: number,
  scaleY: number,
  shiftY: number,
  clamp: boolean,
): Float32Array {
  const xs = taps(width, scaleX, shiftX, image.width, clamp),
    ys = taps(height, scaleY, shiftY, image.height, clamp);
  const plane = width * height,
    src = image.data,
    stride = image.width * 3,
    k = 1 / 128;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    if (!ys.inside[y]) continue;
    const row0 = ys.i0[y] * stride,
      row1 = ys.i1[y] * stride,
      wy = ys.w[y],
      vy = 1 - wy;
    for (let x = 0, o = y * width; x < width; x++, o++) {
      if (!xs.inside[x]) continue;
      const wx = xs.w[x],
        vx = 1 - wx;
      const w00 = vx * vy * k,
        w01 = wx * vy * k,
        w10 = vx * wy * k,
        w11 = wx * wy * k;
      const p00 = row0 + xs.i0[x] * 3,
        p01 = row0 + xs.i1[x] * 3,
        p10 = row1 + xs.i0[x] * 3,
        p11 = row1 + xs.i1[x] * 3;
      out[o] = src[p00] * w00 + src[p01] * w01 + src[p10] * w10 + src[p11] * w11 - 127 * k;
      out[o + plane] = src[p00 + 1] * w00 + src[p01 + 1] * w01 + src[p10 + 1] * w10 + src[p11 + 1] * w11 - 127 * k;
      out[o + 2 * plane] = src[p00 + 2] * w00 + src[p01 + 2] * w01 + src[p10 + 2] * w10 + src[p11 + 2] * w11 - 127 * k;
    }
  }
  return out;
}

/** The detector input for one region, straight from the frame (grey 127 outside it); ~4× faster than warping a chip and converting it. */
export function regionInput(image: RgbImage, r: Pick<Region, 'toInput'>): Float32Array {
  const [a, , c, , e, f] = r.toInput;
  return resample(image, IN_W, IN_H, a, c, e, f, false);
}

/** The whole frame resampled at `scale`: tiles of one scale are cut from it (tileInput). */
function scaledFrame(image: RgbImage, scale: number): { data: Float32Array; width: number; height: number } {
  const width = Math.ceil(image.width * scale),
    height = Math.ceil(image.height * scale);
  return { data: resample(image, width, height, scale, 0, scale, 0, true), width, height };
}

/** A tile's detector input: the IN_W × IN_H window of a scaled frame at whole-pixel offset (ox, oy), 0 (grey) outside. */
function tileInput(level: { data: Float32Array; width: number; height: number }, ox: number, oy: number): Float32Array {
  const out = new Float32Array(3 * IN_W * IN_H);
  const x0 = Math.max(0, ox),
    x1 = Math.min(level.width, ox + IN_W);
  if (x1 <= x0) return out;
  for (let ch = 0; ch < 3; ch++) {
    const src = ch * level.width * level.height,
      dst = ch * IN_W * IN_H;
    for (let y = Math.max(0, oy); y < Math.min(level.height, oy + IN_H); y++) {
      out.set(
        level.data.subarray(src + y * level.width + x0, src + y * level.width + x1),
        dst + (y - oy) * IN_W + (x0 - ox),
      );
    }
  }
  return out;
}

/** A mosaic's detector input: each cell resampled from the frame into its square, grey elsewhere. */
export function mosaicInput(image: RgbImage, cells: FocusCell[]): Float32Array {
  const out = new Float32Array(3 * IN_W * IN_H);
  for (const c of cells) {
    const cell = resample(image, c.size, c.size, c.scale, c.shiftX - c.x, c.scale, c.shiftY - c.y, false);
    for (let ch = 0; ch < 3; ch++)
      for (let y = 0; y < c.size; y++)
        out.set(
          cell.subarray((ch * c.size + y) * c.size, (ch * c.size + y + 1) * c.size),
          ch * IN_W * IN_H + (c.y + y) * IN_W + c.x,
        );
  }
  return out;
}

/** The detector's boxes above `minScore`, corner form in input pixels. */
function inputBoxes(scores: Float32Array, boxes: Float32Array, minScore: number) {
  const out: Array<{ score: number; x1: number; y1: number; x2: number; y2: number }> = [];
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[2 * i + 1];
    if (score < minScore) continue;
    out.push({
      score,
      x1: boxes[4 * i] * IN_W,
      y1: boxes[4 * i + 1] * IN_H,
      x2: boxes[4 * i + 2] * IN_W,
      y2: boxes[4 * i + 3] * IN_H,
    });
  }
  return out;
}

/** The frame rectangle a tile sees. */
const tileRect = (r: Region): FaceBox => ({
  x: -r.toInput[2] / r.toInput[0],
  y: -r.toInput[5] / r.toInput[4],
  width: IN_W / r.toInput[0],
  height: IN_H / r.toInput[4],
});
const overlaps = (a: FaceBox, b: FaceBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** The share of `inner`'s area that lies inside `outer`. */
function insideShare(inner: FaceBox, outer: FaceBox): number {
  const w = Math.min(inner.x + inner.width, outer.x + outer.width) - Math.max(inner.x, outer.x);
  const h = Math.min(inner.y + inner.height, outer.y + outer.height) - Math.max(inner.y, outer.y);
  return w > 0 && h > 0 ? (w * h) / (inner.width * inner.height) : 0;
}

/** Drops boxes lying mostly inside a larger one (parts of a face found by a tile). */
function dropContained<T extends { box: FaceBox }>(cands: T[]): T[] {
  const bySize = [...cands].sort((p, q) => q.box.width * q.box.height - p.box.width * p.box.height);
  const kept: T[] = [];
  for (const c of bySize) {
    const area = c.box.width * c.box.height;
    const inside = kept.some((k) => {
      const w = Math.min(k.box.x + k.box.width, c.box.x + c.box.width) - Math.max(k.box.x, c.box.x);
      const h = Math.min(k.box.y + k.box.height, c.box.y + c.box.height) - Math.max(k.box.y, c.box.y);
      return w > 0 && h > 0 && (w * h) / area >= MAX_CONTAINED;
    });
    if (!inside) kept.push(c);
  }
  return kept;
}

/** Index `i` reflected into 0..n−1 without repeating the edge (… 2 1 | 0 1 2 … n−1 | n−2 …). */
function reflect(i: number, n: number): number {
  const period = Math.max(1, 2 * n - 2);
  const k = ((i % period) + period) % period;
  return k < n ? k : period - k;
}

/**
 * The image on a larger canvas, mirrored at its edges, and the shift back to the original. Mirroring
 * continues the face's shading and outline into the margin; repeated edge pixels drew streaks there that
 * hid dark faces (yale-tight-harsh: 11 probes without a face instead of 18).
 */
export function padded(image: RgbImage, fraction: number): { image: RgbImage; dx: number; dy: number } {
  const dx = Math.round(image.width * fraction),
    dy = Math.round(image.height * fraction);
  const width = image.width + 2 * dx,
    height = image.height + 2 * dy;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = reflect(y - dy, image.height);
    for (let x = 0; x < width; x++) {
      const sx = reflect(x - dx, image.width);
      const s = (sy * image.width + sx) * 3,
        d = (y * width + x) * 3;
      data[d] = image.data[s];
      data[d + 1] = image.data[s + 1];
      data[d + 2] = image.data[s + 2];
    }
  }
  return { image: { data, width, height }, dx, dy };
}

const mean = (pts: Point[]): Point => [
  pts.reduce((s, p) => s + p[0], 0) / pts.length,
  pts.reduce((s, p) => s + p[1], 0) / pts.length,
];

/** The 5 alignment points from the 68-point (iBUG) layout: eye centres, nose tip, mouth corners. */
export function fivePointsFrom68(p: Point[]): [Point, Point, Point, Point, Point] {
  return [
    mean([p[37], p[38], p[40], p[41]]),
    mean([p[43], p[44], p[46], p[47]]),
    p[30],
    mean([p[48], p[60]]),
    mean([p[54], p[64]]),
  ];
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
    const o = {
      ...this.opts,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    } as Required<DetectorOptions>;
    const faces = await this.detectOnce(image, o);
    if (faces.length > 0 || o.padRetry <= 0) return faces;
    // A photo's retry sees it with its luminance equalised: a face half in shadow spreads over the whole
    // range, as in the detector's training photos. Landmarks come from that copy too; the embedder crops the
    // original. A photo also gets a second, wider canvas (a crop tighter than the face box). A camera frame
    // without faces is common (an empty room) and each retry is a tiled scan: one retry, not equalised
    // (equalised sensor noise made the retry of an empty VGA frame 45 ms slower).
    const equalized = o.minFaceSize > 0 ? image : equalizeLuminance(image);
    const fractions = o.minFaceSize > 0 ? [o.padRetry] : [o.padRetry, 2 * o.padRetry];
    for (const fraction of fractions) {
      const pad = padded(equalized, fraction);
      // A face centred in the margin is a reflection of the real one.
      const inside = (f: DetectedFace) => {
        const cx = f.box.x + f.box.width / 2 - pad.dx,
          cy = f.box.y + f.box.height / 2 - pad.dy;
        return cx >= 0 && cy >= 0 && cx < image.width && cy < image.height;
      };
      const again = (await this.detectOnce(pad.image, o)).filter(inside);
      if (again.length === 0) continue;
      const shift = (p: Point): Point => [p[0] - pad.dx, p[1] - pad.dy];
      return again.map((f) => ({
        ...f,
        box: { ...f.box, x: f.box.x - pad.dx, y: f.box.y - pad.dy },
        landmarks: f.landmarks.map(shift) as DetectedFace['landmarks'],
        landmarks68: f.landmarks68?.map(shift),
      }));
    }
    return [];
  }

  /**
   * Boxes of every face (tiled scan, NMS, parts and cut copies dropped), largest first; no landmarks yet.
   * `focusBoxes`: look only around these boxes (a camera's known faces between its full scans; scan-plan.ts).
   */
  async findFaces(image: RgbImage, opts: DetectorOptions & { focusBoxes?: FaceBox[] } = {}): Promise<Candidate[]> {
    const { focusBoxes, ...rest } = opts;
    return this.candidates(
      image,
      {
        ...this.opts,
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      } as Required<DetectorOptions>,
      focusBoxes,
    );
  }

  /** The face with its 5 alignment points, or null when the landmarks make no face (eyes together). */
  locate(image: RgbImage, face: Candidate): Promise<DetectedFace | null> {
    return this.landmarks(image, face);
  }

  private async detectOnce(image: RgbImage, o: Required<DetectorOptions>): Promise<DetectedFace[]> {
    const out: DetectedFace[] = [];
    for (const c of await this.candidates(image, o)) {
      const face = await this.landmarks(image, c);
      if (face) out.push(face);
    }
    return out;
  }

  private async candidates(
    image: RgbImage,
    o: Required<DetectorOptions>,
    focusBoxes?: FaceBox[],
  ): Promise<Candidate[]> {
    if (focusBoxes) return this.focusCandidates(image, focusBoxes, o);
    const [whole, ...tiles] = detectorRegions(image.width, image.height, o.minFaceSize);
    const cands: Candidate[] = [];
    // Levels run finest first. A coarser level, and last the whole frame, is only needed for a face too
    // large for the finer tiles to see whole (over ~100 px in a 1600×1200 frame at scale 0.75, ~160 px in
    // a VGA frame): a tile that cuts such a face says so, and unless a neighbour found it whole, only the
    // coarser tiles over that cut part run. A 1600×1200 frame at scale 0.75 has 25 tiles, at 0.375 nine.
    const scales = [...new Set(tiles.map((r) => r.scale))];
    let pending: FaceBox[] = [];
    for (const [k, scale] of scales.entries()) {
      const run = tiles.filter((t) => t.scale === scale && (k === 0 || pending.some((p) => overlaps(tileRect(t), p))));
      if (run.length === 0) break;
      const level = scaledFrame(image, scale);
      const faces: Candidate[] = [],
        cut: FaceBox[] = [];
      for (const r of run) {
        const found = await this.detectRegion(image, r, o.minScore, tileInput(level, -r.toInput[2], -r.toInput[5]));
        faces.push(...found.faces);
        cut.push(...found.cutTooLarge);
      }
      cands.push(...faces);
      pending = cut.filter((c) => !faces.some((f) => insideShare(c, f.box) >= MAX_CONTAINED));
    }
    if (tiles.length === 0 || pending.length > 0)
      cands.push(...(await this.detectRegion(image, whole!, o.minScore)).faces);
    // dropContained returns them largest first.
    return dropContained(nms(cands, 0.4)).slice(0, o.maxFaces);
  }

  /** Only around the given boxes, packed into mosaics of cells (scan-plan.ts): 12 faces per detector run. */
  private async focusCandidates(image: RgbImage, boxes: FaceBox[], o: Required<DetectorOptions>): Promise<Candidate[]> {
    const cands: Candidate[] = [];
    for (const cells of focusMosaics(boxes, image.width, image.height, { width: IN_W, height: IN_H })) {
      const out = await runOnnx(this.det, mosaicInput(image, cells), [1, 3, IN_H, IN_W]);
      for (const d of inputBoxes(out.scores, out.boxes, o.minScore)) {
        const box = boxFromCell(cells, d.x1, d.y1, d.x2, d.y2);
        if (box && box.width >= 2 && box.height >= 2) cands.push({ box, score: d.score });
      }
    }
    return dropContained(nms(cands, 0.4)).slice(0, o.maxFaces);
  }

  private async detectRegion(
    image: RgbImage,
    r: Region,
    minScore: number,
    input = regionInput(image, r),
  ): Promise<{ faces: Candidate[]; cutTooLarge: FaceBox[] }> {
    const { scores, boxes } = await runOnnx(this.det, input, [1, 3, IN_H, IN_W]);
    const [a, , c, , e, f] = r.toInput;
    // Tile edges inside the frame, on the input: a box touching one is cut.
    const m = EDGE_MARGIN_ON_INPUT;
    const cutLeft = r.tile && c < -0.5,
      cutTop = r.tile && f < -0.5;
    const cutRight = r.tile && c + image.width * a > IN_W + 0.5,
      cutBottom = r.tile && f + image.height * e > IN_H + 0.5;
    const faces: Candidate[] = [];
    const cutTooLarge: FaceBox[] = [];
    for (const { score, x1: ix1, y1: iy1, x2: ix2, y2: iy2 } of inputBoxes(scores, boxes, minScore)) {
      // Back to frame pixels.
      const x1 = (ix1 - c) / a,
        y1 = (iy1 - f) / e,
        x2 = (ix2 - c) / a,
        y2 = (iy2 - f) / e;
      if (x2 - x1 < 2 || y2 - y1 < 2) continue;
      const cutX = (cutLeft && ix1 < m) || (cutRight && ix2 > IN_W - m),
        cutY = (cutTop && iy1 < m) || (cutBottom && iy2 > IN_H - m);
      if (cutX || cutY) {
        // The part this tile sees already exceeds half the overlap: the face may not fit in any tile.
        if ((cutX && x2 - x1 > r.overlap.x / 2) || (cutY && y2 - y1 > r.overlap.y / 2))
          cutTooLarge.push({ x: x1, y: y1, width: x2 - x1, height: y2 - y1 });
        continue;
      }
      faces.push({ box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score });
    }
    return { faces, cutTooLarge };
  }

  /** 68 landmarks on a 64×64 grey crop of the box (the layout fr_landmark was trained on), reduced to 5. */
  private async landmarks(image: RgbImage, c: Candidate): Promise<DetectedFace | null> {
    const { x, y, width, height } = c.box;
    const sx = LM_SIZE / width,
      sy = LM_SIZE / height;
    const chip = warpToChip(image, [sx, 0, -x * sx, 0, sy, -y * sy], LM_SIZE, LM_SIZE);
    const grey = new Float32Array(LM_SIZE * LM_SIZE);
    for (let i = 0, j = 0; i < grey.length; i++, j += 3)
      grey[i] = (0.299 * chip[j] + 0.587 * chip[j + 1] + 0.114 * chip[j + 2]) / 256;
    const out = Object.values(await runOnnx(this.lm, grey, [1, 1, LM_SIZE, LM_SIZE]))[0];
    const pts: Point[] = [];
    for (let k = 0; k < 68; k++) pts.push(applyAffine([width, 0, x, 0, height, y], [out[2 * k], out[2 * k + 1]]));
    const landmarks = fivePointsFrom68(pts);
    const pose = poseFromLandmarks(landmarks);
    if (!pose) return null;
    return { box: c.box, score: c.score, landmarks, pose, landmarks68: pts };
  }
}
