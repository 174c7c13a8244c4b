/**
 * The change gate on a lecture hall rendered by ../shared/tools/lecture-hall.py (dim, noisy, JPEG q60,
 * lights flickering, seated heads moving): the empty hall is still, and each student walking in is
 * flagged over their seat at once. Fails, not skips, under CI=true when the script, lfw-dev or Pillow is missing.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingForHalls, renderHall, type RenderedHall } from '@/bench/lecture/render';
import type { FaceBox } from '@/lib/face/types';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { skipUnlessCi } from '@/test/helpers/needs';
import { ChangeDetector, type ChangeReport } from './change-detector';

const lfw = lfwDevDir();
const missing = missingForHalls();
skipUnlessCi(missing, `change gate hall test skipped: ${missing}`);

const FPS = 5;
const overlaps = (a: FaceBox, b: FaceBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.skipIf(missing !== null)('the change gate on a rendered lecture hall', () => {
  let work: string;
  let hall: RenderedHall;
  const reports: ChangeReport[] = [];
  const faceOf = (name: string): FaceBox => {
    const s = hall.seats.find((seat) => seat.name === name)!;
    return { x: s.x - s.w / 2, y: s.y - s.w / 2, width: s.w, height: s.w };
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'change-gate-test-'));
    // Camera 1 walks its first people in at 3 s: 15 frames of the empty hall first.
    hall = await renderHall(1, path.join(work, 'hall'), {
      lfw: lfw!,
      mode: 'vga',
      fps: FPS,
      spreadSeconds: 20,
      stepSeconds: 10,
      seconds: 40,
      clipFrames: 2,
    });
    const gate = new ChangeDetector({ minFaceSize: 20 });
    for (let k = 0; k < hall.frames; k++) {
      const t = k / FPS;
      // The faces the pipeline follows: everyone in for a second (found at full rate by then).
      const known = [...hall.schedule].filter(([, at]) => at + 1 <= t).map(([name]) => faceOf(name));
      const jpeg = readFileSync(realpathSync(hall.pattern.replace('%06d', String(k).padStart(6, '0'))));
      reports.push(await gate.observe(jpeg, k * 200, known));
    }
  }, 120_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('flags nothing in the empty hall after its first frame', () => {
    const firstArrival = Math.min(...hall.schedule.values());
    expect(firstArrival).toBeGreaterThanOrEqual(3);
    expect(reports[0]!.reset).toBe(true);
    for (let k = 1; k < firstArrival * FPS; k++) expect(reports[k]!.changed, `frame ${k}`).toBe(false);
  });

  it("flags every student's seat in the frame they walk in", () => {
    const arrivals = [...hall.schedule].filter(([, at]) => at > 0);
    expect(arrivals.length).toBeGreaterThanOrEqual(15);
    const missed = arrivals.filter(([name, at]) => !reports[at * FPS]!.regions.some((r) => overlaps(r, faceOf(name))));
    expect(missed).toEqual([]);
  });

  it('once everyone sits and is followed, flags no region outside their heads', () => {
    const last = Math.max(...hall.schedule.values());
    const seated = reports.slice((last + 5) * FPS);
    expect(seated.length).toBeGreaterThan(40);
    expect(seated.filter((r) => r.changed)).toEqual([]);
  });
});
