/**
 * The real default engine (UltraFace + 68-point landmarks, ArcFace fr_feature on ONNX Runtime) on real faces from
 * ../shared/faces. Bounds sit a little below what was measured (see each test), so a regression in
 * detection, alignment or the embedders fails here.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToEmbedding } from './embedding-bytes';
import { FaceEngine } from './engine';
import type { QualityVerdict } from './quality';
import { matcherFactory } from '@/lib/recognition/matcher-factory';
import { skipUnlessCi } from '@/test/helpers/needs';

const FACES = path.resolve(process.cwd(), '../shared/faces');
const ORL = path.join(FACES, 'orl');
const LFW = path.join(FACES, 'lfw-dev');
const hasFaces = existsSync(path.join(ORL, 's1', '1.png')) && existsSync(path.join(LFW, 'known'));
skipUnlessCi(!hasFaces, `[engine.test] ${FACES} (orl/ and lfw-dev/) is absent: the real-face engine tests are skipped`);

const SLOW = { timeout: 60_000 };
const lfw = (name: string, n = 1) =>
  readFile(path.join(LFW, 'known', name, `${name}_${String(n).padStart(4, '0')}.jpg`));

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function rejection(verdict: QualityVerdict) {
  if (verdict.status !== 'rejected') throw new Error(`expected a rejection, got ${verdict.status}`);
  return verdict;
}

let engine: FaceEngine;

describe.skipIf(!hasFaces)('FaceEngine on real faces', SLOW, () => {
  beforeAll(async () => {
    engine = await FaceEngine.load();
  }, 60_000);

  describe('ORL: 10 subjects × photos 1–5 (92×112 grey, decoded as-is, no upscaling)', SLOW, () => {
    const SUBJECTS = Array.from({ length: 10 }, (_, i) => `s${i + 1}`);
    const embeddings = new Map<string, Float32Array>();
    const templates = new Map<string, Awaited<ReturnType<FaceEngine['analyze']>>[number]['template']>();
    let photos = 0;

    beforeAll(async () => {
      for (const s of SUBJECTS) {
        for (const k of [1, 2, 3, 4, 5]) {
          const image = await engine.decode(await readFile(path.join(ORL, s, `${k}.png`)));
          photos++;
          const [face] = await engine.analyze(image);
          if (!face) continue;
          embeddings.set(`${s}/${k}`, bytesToEmbedding(face.template.data));
          templates.set(`${s}/${k}`, face.template);
        }
      }
    }, 60_000);

    it('finds a face in (nearly) every photo', () => {
      // measured: 50 / 50
      expect(photos).toBe(50);
      expect(embeddings.size).toBeGreaterThanOrEqual(48);
    });

    it('templates are unit-length fused vectors tagged with the model', () => {
      const t = templates.values().next().value!;
      expect(t.model).toBe(engine.embedder.model);
      expect(t.version).toBe(engine.embedder.version);
      const v = bytesToEmbedding(t.data);
      expect(v.length).toBe(512);
      expect(cosine(v, v)).toBeCloseTo(1, 4);
    });

    it('same-person cosine (photo 1 vs 2–4) is clearly above different-person cosine (photo 1 vs others’ photo 1)', () => {
      const same: number[] = [];
      const different: number[] = [];
      for (const s of SUBJECTS) {
        const a = embeddings.get(`${s}/1`);
        if (!a) continue;
        for (const k of [2, 3, 4]) {
          const b = embeddings.get(`${s}/${k}`);
          if (b) same.push(cosine(a, b));
        }
        for (const o of SUBJECTS) {
          const b = o === s ? undefined : embeddings.get(`${o}/1`);
          if (b) different.push(cosine(a, b));
        }
      }
      // measured: same mean 0.842 (min 0.602, n 30); different mean 0.303 (n 90)
      expect(same.length).toBeGreaterThanOrEqual(25);
      expect(mean(same)).toBeGreaterThan(0.75);
      expect(mean(different)).toBeLessThan(0.4);
      expect(mean(same) - mean(different)).toBeGreaterThan(0.4);
      expect(Math.min(...same)).toBeGreaterThan(0.5);
    });

    it('identifies photo 5 among the 10 subjects enrolled with photos 1–3', async () => {
      const matcher = await matcherFactory({ MATCHER: 'embedding' }).createMatcher(
        engine.embedder.model,
        engine.embedder.version,
      );
      for (const s of SUBJECTS) {
        for (const k of [1, 2, 3]) {
          const t = templates.get(`${s}/${k}`);
          if (t) matcher.add(s, t);
        }
      }
      expect(matcher.size.identities).toBe(10);
      const outcomes = await Promise.all(
        SUBJECTS.map(async (s) => {
          const t = templates.get(`${s}/5`);
          return { s, r: t ? await matcher.identify(t) : null };
        }),
      );
      const right = outcomes.filter(({ s, r }) => r?.status === 'match' && r.identity === s);
      // measured with the v1 embedder: 10 / 10 at 0.5 (best scores 0.65–0.92, runners-up ≤ 0.51); still passes at the shipped 0.62
      expect(right.length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(9);
      expect(outcomes.filter(({ s, r }) => r?.status === 'match' && r.identity !== s)).toEqual([]);
    });
  });

  describe('lfw-dev: same person vs different people (photos 1 and 2 of 8 people)', SLOW, () => {
    const PEOPLE = [
      'Al_Gore',
      'Ahmed_Chalabi',
      'Al_Sharpton',
      'Angela_Merkel',
      'Alejandro_Toledo',
      'Amelia_Vega',
      'Andre_Agassi',
      'Ari_Fleischer',
    ];
    const emb = new Map<string, Float32Array>();

    beforeAll(async () => {
      for (const p of PEOPLE) {
        for (const n of [1, 2]) {
          const image = await engine.decode(await lfw(p, n));
          const [face] = await engine.analyze(image);
          if (face) emb.set(`${p}/${n}`, bytesToEmbedding(face.template.data));
        }
      }
    }, 60_000);

    it('every same-person pair is above the shipped threshold and every different-person pair below it', () => {
      const same = PEOPLE.filter((p) => emb.has(`${p}/1`) && emb.has(`${p}/2`)).map((p) =>
        cosine(emb.get(`${p}/1`)!, emb.get(`${p}/2`)!),
      );
      const different: number[] = [];
      for (const a of PEOPLE)
        for (const b of PEOPLE)
          if (a < b && emb.has(`${a}/1`) && emb.has(`${b}/1`))
            different.push(cosine(emb.get(`${a}/1`)!, emb.get(`${b}/1`)!));
      expect(emb.size).toBe(16);
      expect(Math.min(...same), JSON.stringify(same)).toBeGreaterThan(engine.threshold);
      expect(Math.max(...different)).toBeLessThan(engine.threshold);
      expect(mean(same) - mean(different)).toBeGreaterThan(0.4);
    });
  });

  describe('enrollment quality gate (LFW photos)', SLOW, () => {
    it('accepts a normal photo and returns a template', async () => {
      const r = await engine.enrollmentTemplate(await lfw('Al_Gore'));
      expect(r.verdict.status, JSON.stringify(r.verdict)).toBe('accepted');
      expect([r.width, r.height]).toEqual([150, 150]);
      expect(r.template).not.toBeNull();
      expect(r.template!.model).toBe(engine.embedder.model);
      // [sharp | classroom]: the photo's face, and the face as a camera at 2–3 m would see it.
      expect(r.template!.data.length).toBe(2 * 512 * 4);
      // measured: 1 face, 26 px between the eyes, sharpness 92
      expect(r.verdict.report).toMatchObject({ faces: 1 });
      expect(r.verdict.report!.sharpness).toBeGreaterThan(40);
    });

    it('rejects a picture without a face (noise, a gradient "landscape") as no-face', async () => {
      let seed = 5;
      const noise = Buffer.from(
        Array.from({ length: 200 * 200 * 3 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24),
      );
      const gradient = Buffer.alloc(300 * 200 * 3);
      for (let y = 0; y < 200; y++) {
        for (let x = 0; x < 300; x++) gradient.set([y >> 1, 100 + (x >> 2), 255 - y], (y * 300 + x) * 3);
      }
      for (const raw of [
        { data: noise, width: 200 },
        { data: gradient, width: 300 },
      ]) {
        const bytes = await sharp(raw.data, { raw: { width: raw.width, height: 200, channels: 3 } })
          .jpeg()
          .toBuffer();
        const r = await engine.enrollmentTemplate(bytes);
        const v = rejection(r.verdict);
        expect(v.code).toBe('no-face');
        expect(v.reason).toMatch(/face/i);
        expect(r.template).toBeNull();
      }
    });

    it('rejects two different people side by side as several-faces', async () => {
      const crop = async (bytes: Buffer) =>
        sharp(bytes).extract({ left: 25, top: 25, width: 100, height: 100 }).toBuffer();
      const pair = await sharp({
        create: { width: 260, height: 130, channels: 3, background: { r: 128, g: 128, b: 128 } },
      })
        .composite([
          { input: await crop(await lfw('Al_Gore')), left: 15, top: 15 },
          { input: await crop(await lfw('Al_Sharpton')), left: 145, top: 15 },
        ])
        .jpeg()
        .toBuffer();
      const r = await engine.enrollmentTemplate(pair);
      const v = rejection(r.verdict);
      expect(v.code).toBe('several-faces');
      expect(v.reason).toMatch(/2 faces/);
      expect(v.report?.faces).toBe(2);
      expect(r.template).toBeNull();
      // both faces are found and analysed, largest first
      const faces = await engine.analyze(await engine.decode(pair));
      expect(faces).toHaveLength(2);
      expect(faces[0].face.box.width).toBeGreaterThanOrEqual(faces[1].face.box.width);
    });

    it('rejects a blurred photo (Gaussian σ = 2) as blurry, with the sharpness in the reason', async () => {
      // measured sharpness after blur(2): Al Gore 8.7, Ahmed Chalabi 6.0 (limit 15; originals 92 and 167);
      // the face is still detected (score 0.88 / 0.89)
      for (const name of ['Al_Gore', 'Ahmed_Chalabi']) {
        const r = await engine.enrollmentTemplate(
          await sharp(await lfw(name))
            .blur(2)
            .jpeg()
            .toBuffer(),
        );
        const v = rejection(r.verdict);
        expect(v.code, `${name}: ${v.reason}`).toBe('blurry');
        expect(v.reason).toMatch(/blurry \(sharpness \d+, need 15\)/);
        expect(v.report!.sharpness).toBeLessThan(12);
        expect(r.template).toBeNull();
      }
    });

    it('a heavy blur (σ = 6) loses the face altogether: no-face', async () => {
      // measured: the detector finds nothing on four LFW photos blurred with σ ≥ 4
      const r = await engine.enrollmentTemplate(
        await sharp(await lfw('Al_Gore'))
          .blur(6)
          .jpeg()
          .toBuffer(),
      );
      const v = rejection(r.verdict);
      expect(v.code).toBe('no-face');
      expect(v.reason.length).toBeGreaterThan(0);
    });
  });
});
