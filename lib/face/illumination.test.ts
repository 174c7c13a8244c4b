/**
 * Illumination normalisation: synthetic chips for the rule, and real tight crops of yale-tight-harsh
 * for the exposure gate (its enrolment photos are well lit, its probes darkened from one side).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignFace } from './align';
import { decodeImage } from './image';
import { equalizeLuminance, luminanceRange, normalizeFaceIllumination } from './illumination';
import { UltraFaceDetector } from './onnx/ultraface-detector';
import { skipUnlessCi } from '@/test/helpers/needs';

/** A 112×112 grey chip whose luminance rises left to right from `from` to `to`. */
function ramp(from: number, to: number): Float32Array {
  const chip = new Float32Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++)
    for (let x = 0; x < 112; x++) chip.fill(from + ((to - from) * x) / 111, (y * 112 + x) * 3, (y * 112 + x) * 3 + 3);
  return chip;
}

describe('normalizeFaceIllumination', () => {
  it('stretches an under-exposed face to the full range, measured on the inner face', () => {
    const chip = ramp(5, 60);
    const gain = normalizeFaceIllumination(chip, 112);
    expect(gain).toBeGreaterThan(4);
    const { lo, hi } = luminanceRange(chip, 112, { x0: 31, x1: 81, y0: 36, y1: 100 });
    expect(lo).toBeLessThanOrEqual(8);
    expect(hi).toBeGreaterThanOrEqual(245);
    expect(Math.min(...chip)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...chip)).toBeLessThanOrEqual(255);
  });

  it('leaves a face whose highlights reach mid-grey untouched', () => {
    const chip = ramp(40, 200);
    const before = Float32Array.from(chip);
    expect(normalizeFaceIllumination(chip, 112)).toBe(1);
    expect(chip).toEqual(before);
  });

  it('leaves a flat (featureless) chip untouched', () => {
    const chip = ramp(20, 20);
    expect(normalizeFaceIllumination(chip, 112)).toBe(1);
  });
});

describe('equalizeLuminance', () => {
  it('spreads a dark picture over the whole range and keeps grey grey', () => {
    const image = { data: Uint8Array.from({ length: 64 * 3 }, (_, i) => Math.floor(i / 3)), width: 8, height: 8 };
    const out = equalizeLuminance(image);
    expect(out.width).toBe(8);
    expect(Math.max(...out.data)).toBe(255);
    for (let i = 0; i < out.data.length; i += 3) {
      expect(out.data[i]).toBe(out.data[i + 1]);
      expect(out.data[i + 1]).toBe(out.data[i + 2]);
    }
    // Order is kept: a brighter pixel stays brighter.
    for (let p = 1; p < 64; p++) expect(out.data[3 * p]).toBeGreaterThanOrEqual(out.data[3 * (p - 1)]);
  });
});

const YTH = path.resolve(process.cwd(), '../shared/faces/yale-tight-harsh/known');
const hasYth = existsSync(path.join(YTH, 'subject04', '01-normal.png'));
skipUnlessCi(!hasYth, `[illumination.test] ${YTH} is absent: the real-face tests are skipped`);

describe.skipIf(!hasYth)('normalizeFaceIllumination on real tight crops', { timeout: 60_000 }, () => {
  let det: UltraFaceDetector;
  beforeAll(async () => {
    det = await UltraFaceDetector.load();
  }, 60_000);
  const gainOf = async (file: string) => {
    const image = await decodeImage(await readFile(path.join(YTH, file)));
    const face = (await det.detect(image))[0];
    expect(face).toBeDefined();
    return normalizeFaceIllumination(alignFace(image, face!.landmarks, 112), 112);
  };

  it('leaves the well-lit enrolment photos alone and brightens the side-lit probes', async () => {
    for (const s of ['subject04', 'subject09', 'subject12']) {
      expect(await gainOf(`${s}/01-normal.png`)).toBe(1);
      expect(await gainOf(`${s}/08-sad.png`)).toBeGreaterThan(1.5);
    }
  });
});
