/**
 * `npm run bench:change-gate [-- --mode vga|uxga|both --seconds 120]`: the change gate
 * (lib/camera/change-detector.ts) on lecture halls rendered by ../shared/tools/lecture-hall.py, as
 * bench:pipeline --lecture streams them (VGA at 5 fps, UXGA at 2 fps, arrivals over the first minute,
 * then the seated class). Prints (a) the gate's cost per frame next to today's decode + detect
 * (FaceEngine.analyzeFrame, every face known so nothing is embedded: a full tiled scan, and a focus
 * scan around the faces), (b) every arrival the gate did not flag, (c) the share of frames and of the
 * detector's tiles flagged in the empty hall, while students walk in and while the class sits, and (d)
 * what one camera costs today and under the idle policy (nothing flagged and every track decided: the
 * gate at 1 frame/s and a full scan every FULL_REFRESH_MS). The faces the pipeline would follow (the
 * gate's `known`) are taken from the truth: each student's seat, from a second after they walk in.
 * `--work DIR` keeps the rendered halls there and reuses them. Progress on stderr.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChangeDetector, type ChangeReport } from '@/lib/camera/change-detector';
import { DEFAULT_CAMERA_MIN_FACE_SIZE } from '@/lib/env';
import { FaceEngine } from '@/lib/face/engine';
import { detectorRegions } from '@/lib/face/onnx/ultraface-detector';
import type { FaceBox } from '@/lib/face/types';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { missingForHalls, renderHall, type RenderedHall } from './lecture/render';
import { quantile } from './lecture/schedule';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '120' },
    work: { type: 'string' },
  },
});
const modes = values.mode === 'both' ? (['vga', 'uxga'] as const) : ([values.mode] as Array<'vga' | 'uxga'>);
if (!modes.every((m) => m === 'vga' || m === 'uxga')) throw new Error('--mode must be vga, uxga or both');
const seconds = Number(values.seconds);
if (!(seconds >= 70)) throw new Error('--seconds must be ≥ 70 (arrivals take the first 60)');
const lfw = lfwDevDir();
const missing = missingForHalls();
if (missing) throw new Error(missing);

const MIN_FACE = DEFAULT_CAMERA_MIN_FACE_SIZE;
/** The idle policy's full scan: a still student the gate missed is found at most this late. */
const FULL_REFRESH_MS = 5_000;
/** An arrival counts as caught when its seat is flagged within this long of the student appearing. */
const CATCH_WITHIN_S = 1;
/** The seated class is measured from this long after the last arrival (the background has absorbed it). */
const SETTLE_S = 10;
/** A student is a known face (a track the gate is told about) this long after walking in: found at full rate. */
const TRACKED_AFTER_S = 1;

const log = (s: string) => process.stderr.write(`${s}\n`);
const ms = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The finest level of the detector's tiled scan (lib/face/onnx/ultraface-detector.ts), in frame pixels. */
function detectorTiles(width: number, height: number): FaceBox[] {
  const tiles = detectorRegions(width, height, MIN_FACE).filter((r) => r.tile);
  const finest = tiles[0]?.scale;
  return tiles
    .filter((r) => r.scale === finest)
    .map((r) => ({
      x: -r.toInput[2] / r.toInput[0],
      y: -r.toInput[5] / r.toInput[4],
      width: 320 / r.toInput[0],
      height: 240 / r.toInput[4],
    }));
}

const inside = (a: FaceBox, t: FaceBox) =>
  a.x >= t.x && a.y >= t.y && a.x + a.width <= t.x + t.width && a.y + a.height <= t.y + t.height;
const overlaps = (a: FaceBox, b: FaceBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** CPU (this process, all threads: sharp's too) and wall time of `fn`, in ms. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
}

async function benchMode(mode: 'vga' | 'uxga', workRoot: string, engine: FaceEngine) {
  const fps = mode === 'vga' ? 5 : 2;
  const dir = path.join(workRoot, mode);
  const cached = path.join(workRoot, `${mode}.json`);
  let hall: Pick<RenderedHall, 'truth' | 'seats' | 'pattern' | 'frames'> & { schedule: Map<string, number> };
  if (existsSync(cached)) {
    const j = JSON.parse(readFileSync(cached, 'utf8'));
    hall = { ...j, schedule: new Map(j.schedule) };
  } else {
    log(`${mode}: rendering the hall…`);
    const h = await renderHall(1, dir, {
      lfw: lfw!,
      mode,
      fps,
      spreadSeconds: 60,
      stepSeconds: 5,
      seconds,
      clipFrames: 4,
    });
    hall = h;
    writeFileSync(cached, JSON.stringify({ ...h, schedule: [...h.schedule] }));
  }
  const [W, H] = hall.truth.size;
  const tiles = detectorTiles(W, H);
  const fileOf = (k: number) => realpathSync(hall.pattern.replace('%06d', String(k).padStart(6, '0')));
  const gate = new ChangeDetector({ minFaceSize: MIN_FACE, tiles });
  // The same gate told of no faces: how long an arrival stays flagged if the detector never finds it.
  const blind = new ChangeDetector({ minFaceSize: MIN_FACE, tiles });
  const blindReports: ChangeReport[] = [];
  // The faces the pipeline would follow at each moment: everyone in for TRACKED_AFTER_S, at their seat (the truth).
  const faceAt = (name: string): FaceBox => {
    const seat = hall.seats.find((s) => s.name === name)!;
    return { x: seat.x - seat.w / 2, y: seat.y - seat.w / 2, width: seat.w, height: seat.w };
  };
  const knownAt = (t: number) => [...hall.schedule].filter(([, a]) => a + TRACKED_AFTER_S <= t).map(([n]) => faceAt(n));

  // (a) + the reports: the gate on every frame, in order.
  log(`${mode}: gate on ${hall.frames} frames…`);
  const reports: ChangeReport[] = [];
  const gateCpu: number[] = [],
    gateWall: number[] = [];
  for (let k = 0; k < hall.frames; k++) {
    const jpeg = readFileSync(fileOf(k));
    const known = knownAt(k / fps);
    const t = await timed(() => gate.observe(jpeg, (k * 1000) / fps, known));
    reports.push(t.value);
    blindReports.push(await blind.observe(jpeg, (k * 1000) / fps));
    if (k > 0) {
      gateCpu.push(t.cpu);
      gateWall.push(t.wall);
    }
  }

  // Today's cost on a sample of frames (one every 2 s of the seated class, as its full scans come).
  log(`${mode}: decode + detect on a sample…`);
  const fullCpu: number[] = [],
    focusCpu: number[] = [];
  const lastArrival = Math.max(...hall.schedule.values());
  for (let k = Math.ceil((lastArrival + SETTLE_S) * fps); k < hall.frames; k += 2 * fps) {
    const jpeg = readFileSync(fileOf(k));
    // The first call finds (and embeds) every face; then time the calls with every face known (nothing embedded).
    const first = await engine.analyzeFrame(await engine.decode(jpeg), { minFaceSize: MIN_FACE });
    const boxes = first.faces.map((f) => f.face.box);
    const detectOnly = await timed(async () =>
      engine.analyzeFrame(await engine.decode(jpeg), { minFaceSize: MIN_FACE, skipBoxes: boxes }),
    );
    fullCpu.push(detectOnly.cpu);
    const focus = await timed(async () =>
      engine.analyzeFrame(await engine.decode(jpeg), { minFaceSize: MIN_FACE, skipBoxes: boxes, focusBoxes: boxes }),
    );
    focusCpu.push(focus.cpu);
  }

  // (b) arrivals: the seat's face box, flagged (a changed region over it, and a flagged tile holding it whole).
  const arrivals = [...hall.schedule].filter(([, t]) => t > 0);
  const misses: string[] = [];
  let caughtRegion = 0,
    caughtTile = 0,
    atOnce = 0;
  const flaggedFor: number[] = [];
  for (const [name, t] of arrivals) {
    const seat = hall.seats.find((s) => s.name === name)!;
    const face = faceAt(name);
    const holders = tiles.map((tile, i) => (inside(face, tile) ? i : -1)).filter((i) => i >= 0);
    const k0 = Math.ceil(t * fps);
    if (reports[k0]?.regions.some((b) => overlaps(b, face))) atOnce++;
    let region = false,
      tile = false;
    for (let k = k0; k < Math.min(hall.frames, k0 + CATCH_WITHIN_S * fps + 1); k++) {
      const r = reports[k]!;
      region ||= r.regions.some((b) => overlaps(b, face));
      tile ||= r.tiles.some((i) => holders.includes(i));
    }
    let n = 0;
    while (k0 + n < hall.frames && blindReports[k0 + n]!.regions.some((b) => overlaps(b, face))) n++;
    flaggedFor.push(n / fps);
    if (region) caughtRegion++;
    if (tile) caughtTile++;
    if (!region || !tile) misses.push(`${name} at ${t} s (row ${seat.row}, ${seat.w.toFixed(0)} px)`);
  }

  // (c) the seated class and the empty hall.
  const share = (from: number, to: number) => {
    const rs = reports.slice(from, to);
    return {
      frames: rs.length,
      changed: rs.filter((r) => r.changed).length / rs.length,
      knownChanged: rs.reduce((s, r) => s + r.known.length, 0) / rs.length,
      tiles: rs.reduce((s, r) => s + r.tiles.length, 0) / (rs.length * tiles.length),
      pixels: rs.reduce((s, r) => s + r.changedShare, 0) / rs.length,
    };
  };
  const firstArrival = Math.min(...hall.schedule.values());
  const empty = share(2 * fps, Math.floor(firstArrival * fps));
  const arriving = share(Math.floor(firstArrival * fps), Math.ceil((lastArrival + SETTLE_S) * fps));
  const seated = share(Math.ceil((lastArrival + SETTLE_S) * fps), hall.frames);

  // (d) CPU ms per second of one camera. Today: a full scan every 2 s (ScanSchedule), a focus scan on the
  // other frames. Busy (tracks undecided): gate every frame, the flagged tiles and a focus scan (an upper
  // bound: around every face) on each, a full scan every FULL_REFRESH_MS. Idle (nothing flagged, every track
  // decided): the gate at 1 frame/s and the full scan every FULL_REFRESH_MS.
  const gateMs = quantile(gateCpu, 0.5),
    fullMs = quantile(fullCpu, 0.5),
    focusMs = quantile(focusCpu, 0.5);
  const perTile = fullMs / tiles.length;
  const refresh = (fullMs * 1000) / FULL_REFRESH_MS;
  const today = (fullMs * 1000) / 2000 + focusMs * (fps - 1000 / 2000);
  const busy = (gateMs + focusMs + seated.tiles * tiles.length * perTile) * fps + refresh;
  const idle = gateMs + refresh;

  return {
    mode,
    size: `${W}×${H}`,
    fps,
    tiles: tiles.length,
    shrink: gate.factor,
    gate: { cpu: gateMs, cpuP95: quantile(gateCpu, 0.95), wall: quantile(gateWall, 0.5) },
    detect: { full: fullMs, focus: focusMs, perTile, samples: fullCpu.length },
    arrivals: {
      total: arrivals.length,
      atOnce,
      caughtRegion,
      caughtTile,
      misses,
      flaggedForMedianS: quantile(flaggedFor, 0.5),
    },
    empty,
    arriving,
    seated,
    present: hall.schedule.size,
    perCamera: { today, busy, idle },
  };
}

const ownWork = !values.work;
const work = values.work ? path.resolve(values.work) : await mkdtemp(path.join(os.tmpdir(), 'change-gate-'));
try {
  const engine = await FaceEngine.load();
  const results = [];
  for (const m of modes) results.push(await benchMode(m, work, engine));
  for (const r of results) {
    console.log(
      `\n${r.mode.toUpperCase()} ${r.size} at ${r.fps} fps, ${r.tiles} detector tiles, gate decodes at 1/${r.shrink}`,
    );
    console.log(
      `(a) gate ${ms(r.gate.cpu)} ms CPU per frame (p95 ${ms(r.gate.cpuP95)}, wall ${ms(r.gate.wall)}); decode + full tiled scan ${ms(r.detect.full)} ms (${ms(r.detect.perTile)} per tile), decode + focus scan ${ms(r.detect.focus)} ms (medians of ${r.detect.samples} seated frames)`,
    );
    console.log(
      `(b) arrivals flagged in the frame they appear: ${r.arrivals.atOnce}/${r.arrivals.total}; within ${CATCH_WITHIN_S} s: ${r.arrivals.caughtRegion}/${r.arrivals.total} by a region over the seat, ${r.arrivals.caughtTile}/${r.arrivals.total} by a tile holding the face whole; an arrival never found by the detector stays flagged ${r.arrivals.flaggedForMedianS.toFixed(1)} s (median)${r.arrivals.misses.length ? `; missed: ${r.arrivals.misses.join(', ')}` : ''}`,
    );
    console.log(
      `(c) ${r.empty.frames ? `empty hall: ${pct(r.empty.changed)} of ${r.empty.frames} frames flagged, ${pct(r.empty.tiles)} of tiles` : 'no empty hall (students in from the start)'}; while students walk in: ${pct(r.arriving.changed)} of ${r.arriving.frames} frames, ${pct(r.arriving.tiles)} of tiles; seated class: ${pct(r.seated.changed)} of ${r.seated.frames} frames, ${pct(r.seated.tiles)} of tiles, ${pct(r.seated.pixels)} of pixels; ${r.seated.knownChanged.toFixed(1)} of ${r.present} known heads changed per frame`,
    );
    console.log(
      `(d) one camera, CPU ms per second while the class sits: today ${ms(r.perCamera.today)}; gated, tracks undecided (gate + focus scan every frame, flagged tiles, full scan every ${FULL_REFRESH_MS / 1000} s) ${ms(r.perCamera.busy)}; idle (gate at 1 frame/s, full scan every ${FULL_REFRESH_MS / 1000} s) ${ms(r.perCamera.idle)}: ${(1000 / r.perCamera.today).toFixed(0)} → ${(1000 / r.perCamera.idle).toFixed(0)} cameras per core`,
    );
  }
} finally {
  if (ownWork) await rm(work, { recursive: true, force: true });
}
