import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { iou } from '../boxes';
import { decodeImage } from '../image';
import type { FaceBox, RgbImage } from '../types';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { skipUnlessCi } from '@/test/helpers/needs';
import { UltraFaceDetector } from './ultraface-detector';
import { FOCUS_CELL, FOCUS_FACE_ON_INPUT, ScanSchedule, boxFromCell, focusMosaics } from './scan-plan';

const box = (x: number, y: number, width: number, height = width) => ({ x, y, width, height });

describe('focusMosaics', () => {
  it('packs 12 faces per 320 × 240 input, each centred in its own cell at FOCUS_FACE_ON_INPUT px', () => {
    const boxes = Array.from({ length: 24 }, (_, i) => box(60 * i, 100 + (i % 5) * 200, 20 + i));
    const mosaics = focusMosaics(boxes, 1600, 1200);
    expect(mosaics.map((m) => m.length)).toEqual([12, 12]);
    const cells = mosaics.flat();
    expect(new Set(mosaics[0]!.map((c) => `${c.x},${c.y}`)).size).toBe(12);
    for (const [i, c] of cells.entries()) {
      const b = boxes[i]!;
      expect(c.x + c.size).toBeLessThanOrEqual(320);
      expect(c.y + c.size).toBeLessThanOrEqual(240);
      expect(b.width * c.scale).toBeCloseTo(FOCUS_FACE_ON_INPUT);
      // The face's centre lands on the cell's centre.
      expect((b.x + b.width / 2) * c.scale + c.shiftX).toBeCloseTo(c.x + FOCUS_CELL / 2);
      expect((b.y + b.height / 2) * c.scale + c.shiftY).toBeCloseTo(c.y + FOCUS_CELL / 2);
    }
  });

  it('gives one cell to boxes of the same face and none to boxes outside the frame', () => {
    const mosaics = focusMosaics([box(100, 100, 40), box(102, 101, 40), box(700, 10, 30), box(-80, 0, 40)], 640, 480);
    expect(mosaics).toHaveLength(1);
    expect(mosaics[0]).toHaveLength(1);
    expect(focusMosaics([], 640, 480)).toEqual([]);
  });
});

describe('boxFromCell', () => {
  it('maps a detection inside a cell back to frame pixels', () => {
    const face = box(900, 300, 40);
    const [cell] = focusMosaics([face], 1600, 1200)[0]!;
    const at = (v: number, shift: number) => v * cell!.scale + shift;
    const found = boxFromCell(
      [cell!],
      at(face.x, cell!.shiftX),
      at(face.y, cell!.shiftY),
      at(face.x + face.width, cell!.shiftX),
      at(face.y + face.height, cell!.shiftY),
    );
    expect(found!.x).toBeCloseTo(face.x);
    expect(found!.y).toBeCloseTo(face.y);
    expect(found!.width).toBeCloseTo(face.width);
    expect(found!.height).toBeCloseTo(face.height);
  });

  it('rejects a detection that touches its cell edge or straddles two cells', () => {
    const cells = focusMosaics([box(100, 100, 40), box(400, 100, 40)], 640, 480)[0]!;
    expect(boxFromCell(cells, 0, 20, 30, 50)).toBeNull();
    expect(boxFromCell(cells, 60, 20, 100, 50)).toBeNull();
    expect(boxFromCell(cells, 90, 20, 120, 50)).not.toBeNull();
  });
});

describe('ScanSchedule', () => {
  it('scans the first frame whole, then every `everyMs`; in between only the known boxes', () => {
    const schedule = new ScanSchedule(2_000);
    const known = [box(10, 10, 30)];
    const plan = [0, 500, 1_000, 1_500, 2_000, 2_500, 4_100].map((at) => schedule.next(at, known));
    expect(plan).toEqual([undefined, known, known, known, undefined, known, undefined]);
  });

  it('scans whole again when the clock goes back (a camera replaced, a test clock)', () => {
    const schedule = new ScanSchedule(2_000);
    schedule.next(10_000, []);
    expect(schedule.next(5_000, [])).toBeUndefined();
  });

  it('an idling camera stretches the interval for a frame (`everyMs`); `full` scans whole at once', () => {
    const schedule = new ScanSchedule(2_000);
    const known = [box(10, 10, 30)];
    schedule.next(0, known);
    expect(schedule.due(3_000)).toBe(true);
    expect(schedule.due(3_000, 5_000)).toBe(false);
    expect(schedule.next(3_000, known, { everyMs: 5_000 })).toEqual(known);
    expect(schedule.next(5_000, known, { everyMs: 5_000 })).toBeUndefined();
    expect(schedule.next(5_200, known, { full: true })).toBeUndefined();
    expect(schedule.next(5_400, known)).toEqual(known);
  });
});

const lfw = lfwDevDir();
skipUnlessCi(!lfw, '[scan-plan.test] ../shared/faces/lfw-dev is absent: the real-face focus scan test is skipped');

describe.skipIf(!lfw)('focus scan on a real 1600 × 1200 frame', { timeout: 60_000 }, () => {
  let det: UltraFaceDetector;
  let frame: RgbImage;
  let full: FaceBox[];
  beforeAll(async () => {
    det = await UltraFaceDetector.load();
    // 10 LFW faces 22–90 px wide (an LFW photo's face is ~55 of its 150 px) on a grey room.
    const known = path.join(lfw!, 'known');
    const names = readdirSync(known)
      .sort()
      .filter((_, i) => i % 13 === 0)
      .slice(0, 10);
    const composites = await Promise.all(
      names.map(async (name, i) => {
        const size = Math.round((150 * (22 + i * 7.5)) / 55);
        const photo = path.join(known, name, readdirSync(path.join(known, name)).sort()[0]!);
        return {
          input: await sharp(photo).resize(size, size).toBuffer(),
          left: 60 + (i % 5) * 300,
          top: 80 + Math.floor(i / 5) * 500,
        };
      }),
    );
    const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#7a7670' } })
      .composite(composites)
      .jpeg({ quality: 80 })
      .toBuffer();
    frame = await decodeImage(jpeg);
    full = (await det.findFaces(frame, { minFaceSize: 20 })).map((c) => c.box);
  }, 60_000);

  it('finds every face of the full scan around boxes that moved a little since', async () => {
    expect(full.length).toBeGreaterThanOrEqual(10);
    const moved = full.map((b, i) => ({ ...b, x: b.x + (i % 2 ? 0.2 : -0.2) * b.width, y: b.y + 0.1 * b.height }));
    const focus = (await det.findFaces(frame, { minFaceSize: 20, focusBoxes: moved })).map((c) => c.box);
    expect(focus).toHaveLength(full.length);
    for (const b of full) expect(Math.max(...focus.map((f) => iou(f, b)))).toBeGreaterThan(0.6);
  });

  it('looks nowhere else: faces away from the focus boxes are not found, and no boxes means no faces', async () => {
    const some = full.slice(0, 3);
    const focus = (await det.findFaces(frame, { minFaceSize: 20, focusBoxes: some })).map((c) => c.box);
    // Each is a face of the full scan inside a focus box's cell (2.5 face widths): a bystander sharing a cell counts.
    const near = (f: FaceBox, b: FaceBox) =>
      Math.hypot(f.x + f.width / 2 - b.x - b.width / 2, f.y + f.height / 2 - b.y - b.height / 2) <= 1.25 * b.width;
    for (const f of focus) {
      expect(Math.max(...full.map((b) => iou(f, b)))).toBeGreaterThan(0.6);
      expect(some.some((b) => near(f, b))).toBe(true);
    }
    for (const b of some) expect(focus.some((f) => iou(f, b) > 0.6)).toBe(true);
    expect(focus.length).toBeLessThan(full.length - 5);
    expect(await det.findFaces(frame, { minFaceSize: 20, focusBoxes: [] })).toEqual([]);
  });
});
