/**
 * The change gate on synthetic VGA camera frames: a dim room with desks, fresh sensor noise on every
 * frame and JPEG at quality 60 (as an ESP32-CAM sends), so noise and JPEG flicker are real.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ChangeDetector, headAround, shrinkFactor } from './change-detector';

const W = 640,
  H = 480;
/** The detector's 2 × 2 tiles of a VGA frame are about quadrants; plain quadrants keep the test readable. */
const QUADRANTS = [
  { x: 0, y: 0, width: 320, height: 240 },
  { x: 320, y: 0, width: 320, height: 240 },
  { x: 0, y: 240, width: 320, height: 240 },
  { x: 320, y: 240, width: 320, height: 240 },
];

/** A seeded standard normal source (mulberry32 + Box–Muller). */
function normal(seed: number): () => number {
  let s = seed | 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

type Patch = { x: number; y: number; size: number; delta: number };

/** The room (a wall, desks, a slow gradient) times `light`, with patches, noise (σ 3 unless said) and JPEG q60. */
function frame(
  rng: () => number,
  o: { light?: number; patches?: Patch[]; invert?: boolean; noise?: number } = {},
): Promise<Buffer> {
  const px = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = y < 80 ? 82 : 50 + (x / W) * 10;
      if ([200, 290, 370].some((d) => y >= d && y < d + 22)) v = 30; // desks
      for (const p of o.patches ?? []) {
        // A face-like patch: an oval lighter than the room with two dark eyes.
        const cx = x - p.x - p.size / 2,
          cy = y - p.y - p.size / 2;
        if ((cx / (p.size * 0.45)) ** 2 + (cy / (p.size * 0.5)) ** 2 <= 1) v += p.delta;
        if (Math.abs(cy + p.size * 0.1) < p.size * 0.08 && Math.abs(Math.abs(cx) - p.size * 0.2) < p.size * 0.08)
          v -= p.delta;
      }
      v *= o.light ?? 1;
      if (o.invert) v = 255 - v;
      px[y * W + x] = Math.max(0, Math.min(255, Math.round(v + (o.noise ?? 3) * rng())));
    }
  }
  return sharp(px, { raw: { width: W, height: H, channels: 1 } })
    .toColourspace('srgb')
    .jpeg({ quality: 60 })
    .toBuffer();
}

/** A gate that has watched `frames` frames of the still room (5 fps); returns it and the time of the next frame. */
async function warmedUp(rng: () => number, frames = 15, noise = 3) {
  const gate = new ChangeDetector({ minFaceSize: 20, tiles: QUADRANTS });
  for (let k = 0; k < frames; k++) await gate.observe(await frame(rng, { noise }), k * 200);
  return { gate, next: frames * 200 };
}

describe('ChangeDetector', () => {
  it('shrinks so the smallest face keeps 4 pixels: 1/5 for 20 px faces, never past 1/8', () => {
    expect(shrinkFactor(20)).toBe(5);
    expect(shrinkFactor(12)).toBe(3);
    expect(shrinkFactor(100)).toBe(8);
    expect(shrinkFactor(0)).toBe(1);
  });

  // σ 3: a lit room; σ 8: a dim ESP32 at high gain (the lecture-hall renders have ~1 after JPEG).
  it.each([3, 8])(
    'flags the whole first frame, then nothing while only noise σ %d and JPEG flicker change',
    async (noise) => {
      const rng = normal(1);
      const gate = new ChangeDetector({ minFaceSize: 20, tiles: QUADRANTS });
      const first = await gate.observe(await frame(rng, { noise }), 0);
      expect(first).toMatchObject({ changed: true, reset: true, tiles: [0, 1, 2, 3] });
      for (let k = 1; k < 30; k++) {
        const r = await gate.observe(await frame(rng, { noise }), k * 200);
        expect(r.regions, `frame ${k}`).toEqual([]);
        expect(r.changed).toBe(false);
        expect(r.tiles).toEqual([]);
      }
    },
  );

  it.each([3, 8])(
    'flags a face-sized patch appearing in its tile only, not a speck smaller than half a smallest face (noise σ %d)',
    async (noise) => {
      const rng = normal(2);
      const { gate, next } = await warmedUp(rng, 15, noise);
      const speck = await gate.observe(
        await frame(rng, { noise, patches: [{ x: 100, y: 120, size: 8, delta: 40 }] }),
        next,
      );
      expect(speck.changed).toBe(false);

      const face = { x: 400, y: 300, size: 20, delta: 25 };
      const r = await gate.observe(await frame(rng, { noise, patches: [face] }), next + 200);
      expect(r.changed).toBe(true);
      expect(r.tiles).toEqual([3]);
      expect(r.regions).toHaveLength(1);
      const [box] = r.regions;
      // Around the patch, give or take a pixel of the shrunk frame and the smallest-face square.
      expect(box!.x).toBeGreaterThanOrEqual(face.x - 25);
      expect(box!.y).toBeGreaterThanOrEqual(face.y - 25);
      expect(box!.x + box!.width).toBeLessThanOrEqual(face.x + face.size + 25);
      expect(box!.y + box!.height).toBeLessThanOrEqual(face.y + face.size + 25);
      expect(box!.x).toBeLessThan(face.x + face.size);
      expect(box!.y).toBeLessThan(face.y + face.size);
    },
  );

  it('takes out the lights going up 18 % (the whole room scales) but still sees a face appearing then', async () => {
    const rng = normal(3);
    const { gate, next } = await warmedUp(rng);
    const brighter = await gate.observe(await frame(rng, { light: 1.18 }), next);
    expect(brighter.regions).toEqual([]);
    expect(brighter.gain).toBeGreaterThan(1.14);
    expect(brighter.gain).toBeLessThan(1.22);
    const dimmer = await gate.observe(await frame(rng, { light: 0.85 }), next + 200);
    expect(dimmer.regions).toEqual([]);
    const withFace = await gate.observe(
      await frame(rng, { light: 1.18, patches: [{ x: 100, y: 100, size: 24, delta: 25 }] }),
      next + 400,
    );
    expect(withFace.tiles).toEqual([0]);
  });

  it('starts again from a new picture (the lights went out, the camera moved): every tile, then still', async () => {
    const rng = normal(4);
    const { gate, next } = await warmedUp(rng);
    const moved = await gate.observe(await frame(rng, { invert: true }), next);
    expect(moved).toMatchObject({ changed: true, reset: true, tiles: [0, 1, 2, 3] });
    const after = await gate.observe(await frame(rng, { invert: true }), next + 200);
    expect(after.changed).toBe(false);
  });

  it("reports a change on a known face's head by the face, not as a region (a seated student moving)", async () => {
    const rng = normal(5);
    const { gate, next } = await warmedUp(rng);
    const seated = { x: 150, y: 330, width: 30, height: 30 };
    const other = { x: 500, y: 100, width: 30, height: 30 };
    // The head turns: the change lies inside the head around the face box.
    const r = await gate.observe(
      await frame(rng, { patches: [{ x: seated.x + 5, y: seated.y + 5, size: 24, delta: 25 }] }),
      next,
      [other, seated],
    );
    expect(r.known).toEqual([1]);
    expect(r.regions).toEqual([]);
    expect(r.changed).toBe(false);
    const head = headAround(seated);
    expect(head.width).toBe(60);
    expect(head.y).toBeLessThan(seated.y);
  });

  it('absorbs a change that stays (a student sat down) within a few of its memory times', async () => {
    const rng = normal(6);
    const { gate, next } = await warmedUp(rng);
    const patches = [{ x: 300, y: 150, size: 30, delta: 30 }];
    const flagged: boolean[] = [];
    // 2.5 fps for 24 s.
    for (let k = 0; k < 60; k++)
      flagged.push((await gate.observe(await frame(rng, { patches }), next + k * 400)).changed);
    expect(flagged.slice(0, 5).every(Boolean)).toBe(true); // the first 2 s
    expect(flagged.slice(-10).some(Boolean)).toBe(false); // gone by 20 s (memory 5 s)
  }, 30_000);
});
