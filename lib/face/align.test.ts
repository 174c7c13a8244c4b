import { describe, expect, it } from 'vitest';
import {
  alignFace,
  applyAffine,
  ARCFACE_TEMPLATE_112,
  chipToGrey,
  invertAffine,
  similarityTransform,
  templateFor,
  warpToChip,
  type Affine,
} from './align';
import type { Point, RgbImage } from './types';

function similarity(scale: number, angle: number, tx: number, ty: number): Affine {
  const a = scale * Math.cos(angle),
    b = scale * Math.sin(angle);
  return [a, -b, tx, b, a, ty];
}

function randomImage(width: number, height: number, seed = 1): RgbImage {
  let s = seed;
  const data = Uint8Array.from({ length: width * height * 3 }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
  return { data, width, height };
}

const pixel = (img: RgbImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));
const chipPixel = (chip: Float32Array, width: number, x: number, y: number) =>
  Array.from(chip.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));

describe('similarityTransform', () => {
  it('recovers a known rotation + scale + shift exactly from the 5 template points', () => {
    const truth = similarity(1.7, 0.4, 12.5, -5.25);
    const src = ARCFACE_TEMPLATE_112;
    const dst = src.map((p) => applyAffine(truth, p));
    const got = similarityTransform(src, dst);
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(truth[i], 9);
  });

  it('recovers a negative rotation and a shrink (face far from the camera)', () => {
    const truth = similarity(0.3, -1.1, 400, 220);
    const src: Point[] = [
      [10, 10],
      [90, 12],
      [50, 60],
      [20, 95],
      [80, 97],
    ];
    const got = similarityTransform(
      src,
      src.map((p) => applyAffine(truth, p)),
    );
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(truth[i], 9);
  });

  it('never reflects: mirrored points give the best rotation, not a flip', () => {
    const src: Point[] = [
      [0, 0],
      [10, 0],
      [5, 8],
    ];
    const mirrored = src.map(([x, y]): Point => [-x, y]);
    const [a, b, , d, e] = similarityTransform(src, mirrored);
    expect(a * e - b * d).toBeGreaterThanOrEqual(0);
    expect(a).toBeCloseTo(e, 12);
    expect(b).toBeCloseTo(-d, 12);
  });

  it('throws on fewer than two pairs, mismatched lengths and coincident points', () => {
    expect(() => similarityTransform([[1, 1]], [[2, 2]])).toThrow(/two/);
    expect(() =>
      similarityTransform(
        [
          [1, 1],
          [2, 2],
        ],
        [[1, 1]],
      ),
    ).toThrow(/two/);
    expect(() =>
      similarityTransform(
        [
          [3, 3],
          [3, 3],
        ],
        [
          [1, 1],
          [2, 2],
        ],
      ),
    ).toThrow(/coincide/);
  });
});

describe('invertAffine / applyAffine', () => {
  it('round-trips points through a transform and its inverse', () => {
    const m = similarity(2.3, 0.9, -31, 77);
    const inv = invertAffine(m);
    for (const p of [
      [0, 0],
      [13.5, -2],
      [1000, 640],
      [-5, 99],
    ] as Point[]) {
      const back = applyAffine(inv, applyAffine(m, p));
      expect(back[0]).toBeCloseTo(p[0], 9);
      expect(back[1]).toBeCloseTo(p[1], 9);
    }
  });

  it('inverts a general (sheared) affine and the inverse of the inverse is the original', () => {
    const m: Affine = [1.2, 0.3, 5, -0.4, 0.8, -7];
    const twice = invertAffine(invertAffine(m));
    for (let i = 0; i < 6; i++) expect(twice[i]).toBeCloseTo(m[i], 12);
  });

  it('throws on a singular matrix', () => {
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(/singular/);
  });
});

describe('warpToChip', () => {
  const img = randomImage(7, 5);

  it('with the identity transform reproduces every pixel exactly', () => {
    const chip = warpToChip(img, [1, 0, 0, 0, 1, 0], img.width, img.height);
    expect(chip.length).toBe(img.data.length);
    expect(Array.from(chip)).toEqual(Array.from(img.data));
  });

  it('shifts by whole pixels and repeats the border outside the image', () => {
    // chip(x, y) = image(x + 2, y + 1)
    const chip = warpToChip(img, [1, 0, -2, 0, 1, -1], 7, 5);
    expect(chipPixel(chip, 7, 0, 0)).toEqual(pixel(img, 2, 1));
    expect(chipPixel(chip, 7, 3, 2)).toEqual(pixel(img, 5, 3));
    expect(chipPixel(chip, 7, 6, 4)).toEqual(pixel(img, 6, 4)); // clamped to the bottom-right corner
  });

  it('samples half-pixel positions bilinearly (the average of the neighbours)', () => {
    // chip(0, 0) = image(0.5, 0.5)
    const chip = warpToChip(img, [1, 0, -0.5, 0, 1, -0.5], 1, 1);
    for (let c = 0; c < 3; c++) {
      const mean = (pixel(img, 0, 0)[c] + pixel(img, 1, 0)[c] + pixel(img, 0, 1)[c] + pixel(img, 1, 1)[c]) / 4;
      expect(chip[c]).toBeCloseTo(mean, 4);
    }
  });
});

describe('alignFace', () => {
  it('templateFor(112) is the ArcFace template and a face already on it is copied unchanged', () => {
    const t = templateFor(112);
    t.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(ARCFACE_TEMPLATE_112[i][0], 9);
      expect(p[1]).toBeCloseTo(ARCFACE_TEMPLATE_112[i][1], 9);
    });
    const img = randomImage(112, 112, 3);
    const chip = alignFace(img, ARCFACE_TEMPLATE_112, 112);
    let maxDiff = 0;
    for (let i = 0; i < chip.length; i++) maxDiff = Math.max(maxDiff, Math.abs(chip[i] - img.data[i]));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('undoes a rotation: landmarks of a rotated face land on the template', () => {
    const m = similarity(2, 0.5, 30, 10);
    const landmarks = ARCFACE_TEMPLATE_112.map((p) => applyAffine(m, p));
    const toChip = similarityTransform(landmarks, templateFor(112));
    landmarks.forEach((p, i) => {
      const q = applyAffine(toChip, p);
      expect(q[0]).toBeCloseTo(ARCFACE_TEMPLATE_112[i][0], 6);
      expect(q[1]).toBeCloseTo(ARCFACE_TEMPLATE_112[i][1], 6);
    });
  });

  it('chipToGrey uses BT.601 luma and clamps', () => {
    const grey = chipToGrey(Float32Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 300, 300, 300, -5, -5, -5]));
    expect(Array.from(grey)).toEqual([76, 150, 29, 255, 0]);
  });
});
