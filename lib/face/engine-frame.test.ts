/**
 * FaceEngine.analyzeFrame, what the camera worker's engine threads run on every frame, with the real
 * default engine on a frame of two real faces (LFW, ../shared/faces): which faces are embedded, scored
 * and read, and that a face embedded here gets the template a whole-photo analysis gives it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { iou } from './boxes';
import { bytesToEmbedding } from './embedding-bytes';
import { FaceEngine } from './engine';
import { deepEmbedderIdentity } from './engine-identity';
import { MOODS } from './mood';
import type { FaceBox, RgbImage } from './types';
import { skipUnlessCi } from '@/test/helpers/needs';

const LFW = path.resolve(process.cwd(), '../shared/faces/lfw-dev/known');
const PEOPLE = ['Al_Gore', 'Al_Sharpton'];
const hasFaces = PEOPLE.every((p) => existsSync(path.join(LFW, p, `${p}_0001.jpg`)));
skipUnlessCi(!hasFaces, `[engine-frame.test] ${LFW} is absent: the frame analysis tests are skipped`);

const SLOW = { timeout: 60_000 };

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The box moved right by `share` of its width. */
const shifted = (b: FaceBox, share: number): FaceBox => ({ ...b, x: b.x + share * b.width });

let engine: FaceEngine;
let frame: RgbImage;

describe.skipIf(!hasFaces)('FaceEngine.analyzeFrame on real faces', SLOW, () => {
  beforeAll(async () => {
    engine = await FaceEngine.load();
    // Two people side by side on a grey wall; the second face is shrunk, so "largest first" is one order.
    const face = (name: string, side: number) =>
      sharp(path.join(LFW, name, `${name}_0001.jpg`))
        .extract({ left: 25, top: 25, width: 100, height: 100 })
        .resize(side, side)
        .toBuffer();
    const jpeg = await sharp({ create: { width: 300, height: 160, channels: 3, background: '#808080' } })
      .composite([
        { input: await face(PEOPLE[0]!, 80), left: 20, top: 40 },
        { input: await face(PEOPLE[1]!, 130), left: 150, top: 15 },
      ])
      .jpeg()
      .toBuffer();
    frame = await engine.decode(jpeg);
  }, 60_000);

  it('embeds every face, largest first, with the template a whole-photo analysis gives it', async () => {
    const a = await engine.analyzeFrame(frame);
    expect([a.width, a.height]).toEqual([300, 160]);
    expect(a.faces).toHaveLength(2);
    expect(a.faces[0]!.face.box.width).toBeGreaterThan(a.faces[1]!.face.box.width);
    expect(a.faces[0]!.face.box.x).toBeGreaterThan(150 - 20);
    const whole = await engine.analyze(frame);
    for (const f of a.faces) {
      expect(f.template?.model).toBe(engine.embedder.model);
      expect(f.template?.faceWidth).toBe(f.face.box.width);
      expect(f).toMatchObject({ legacy: [], liveness: null, mood: null });
      expect(f.brightness).toBeGreaterThan(20);
      expect(f.brightness).toBeLessThan(235);
      const same = whole.find((w) => iou(w.face.box, f.face.box) > 0.9);
      expect(same).toBeDefined();
      expect(cosine(bytesToEmbedding(same!.template.data), bytesToEmbedding(f.template!.data))).toBeGreaterThan(0.999);
    }
  });

  it('detects a face overlapping a skip box (IoU ≥ skipIoU, default 0.3) without embedding it', async () => {
    const [big, small] = (await engine.analyzeFrame(frame)).faces;
    const known = shifted(big!.face.box, 0.1); // IoU ≈ 0.82 with the face
    const skipped = await engine.analyzeFrame(frame, { skipBoxes: [known] });
    expect(skipped.faces).toHaveLength(2);
    expect(skipped.faces[0]).toMatchObject({ template: null, legacy: [], liveness: null, mood: null });
    expect(skipped.faces[0]!.brightness).toBeUndefined();
    expect(iou(skipped.faces[0]!.face.box, big!.face.box)).toBeGreaterThan(0.9);
    expect(skipped.faces[1]!.template).not.toBeNull();
    expect(iou(skipped.faces[1]!.face.box, small!.face.box)).toBeGreaterThan(0.9);
    // The same box under a stricter overlap rule is another face: both are embedded.
    const strict = await engine.analyzeFrame(frame, { skipBoxes: [known], skipIoU: 0.9 });
    expect(strict.faces.map((f) => f.template !== null)).toEqual([true, true]);
  });

  it('scores liveness for the embedded faces only, and reads every face mood, skipped or not', async () => {
    const [big] = (await engine.analyzeFrame(frame)).faces;
    const a = await engine.analyzeFrame(frame, { skipBoxes: [big!.face.box], liveness: true, mood: true });
    expect(a.faces[0]!.liveness).toBeNull();
    expect(a.faces[1]!.liveness).toBeGreaterThanOrEqual(0);
    expect(a.faces[1]!.liveness).toBeLessThanOrEqual(1);
    for (const f of a.faces) {
      expect(MOODS).toContain(f.mood?.mood);
      expect(typeof f.mood?.eyesRead).toBe('boolean');
    }
  });

  it('between full scans, finds only the faces around the focus boxes', async () => {
    const [, small] = (await engine.analyzeFrame(frame)).faces;
    const a = await engine.analyzeFrame(frame, { focusBoxes: [small!.face.box] });
    expect(a.faces).toHaveLength(1);
    expect(iou(a.faces[0]!.face.box, small!.face.box)).toBeGreaterThan(0.7);
    expect(a.faces[0]!.template).not.toBeNull();
  });

  it("legacy: each embedded face also gets the legacy embedders' templates", async () => {
    const withLegacy = await FaceEngine.load({ legacyEmbedders: ['fused'] });
    const [big] = (await withLegacy.analyzeFrame(frame)).faces;
    expect(big!.legacy).toEqual([]);
    const a = await withLegacy.analyzeFrame(frame, { skipBoxes: [big!.face.box], legacy: true });
    expect(a.faces[0]!.legacy).toEqual([]);
    expect(a.faces[1]!.legacy.map((t) => [t.model, t.version])).toEqual([
      [deepEmbedderIdentity('fused').model, deepEmbedderIdentity('fused').version],
    ]);
    expect(a.faces[1]!.template?.model).toBe(engine.embedder.model);
  });
});
