/**
 * The lecture bench's pieces on real lecture-hall.py output: the arrival schedule and its phases, the
 * timeline ffmpeg plays (a student's seat is empty before their arrival and taken after it), the stream
 * served without re-encoding, and the summary of a camera's rows.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { ESP32_PART_BOUNDARY } from '@/test/fixtures/camera/esp32-stream-server';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { skipUnlessCi } from '@/test/helpers/needs';
import { streamFramesWithFfmpeg } from '@/test/helpers/pipeline-setup';
import { missingForHalls, renderHall, type HallOptions, type RenderedHall } from './render';
import { arrivalSchedule, phasesOf, summarizeCamera, timelineFrame } from './schedule';

const lfw = lfwDevDir();
const missing = missingForHalls() ?? (ffmpegAvailable() ? null : 'needs ffmpeg on PATH');
skipUnlessCi(missing, `lecture bench tests skipped: ${missing}`);

describe('the arrival schedule', () => {
  it("stretches the script's arrival frames over the spread, in whole steps after the camera's offset", () => {
    const s = arrivalSchedule({ a: 0, b: 15, c: 29 }, 60, { spreadSeconds: 120, stepSeconds: 10, offsetSeconds: 3 });
    expect([...s]).toEqual([
      ['a', 3],
      ['b', 63],
      ['c', 123],
    ]);
    const phases = phasesOf(s);
    expect(phases.map((p) => [p.startSeconds, p.present])).toEqual([
      [0, []],
      [3, ['a']],
      [63, ['a', 'b']],
      [123, ['a', 'b', 'c']],
    ]);
    // 5 fps, clips of 2, 2, 2 and 6 frames: frame 14 (2.8 s) is still the empty hall, 15 (3 s) the first of phase 1.
    expect(timelineFrame(phases, [2, 2, 2, 6], 5, 14)).toEqual([0, 0]);
    expect(timelineFrame(phases, [2, 2, 2, 6], 5, 15)).toEqual([1, 0]);
    expect(timelineFrame(phases, [2, 2, 2, 6], 5, 16)).toEqual([1, 1]);
    expect(timelineFrame(phases, [2, 2, 2, 6], 5, 17)).toEqual([1, 0]);
    expect(timelineFrame(phases, [2, 2, 2, 6], 5, 5 * 130)).toEqual([3, (650 - 615) % 6]);
  });
});

describe.skipIf(missing !== null)('halls rendered by lecture-hall.py', () => {
  let work: string;
  const halls: RenderedHall[] = [];
  const options = (): HallOptions => ({
    lfw: lfw!,
    mode: 'vga',
    fps: 5,
    spreadSeconds: 20,
    stepSeconds: 10,
    seconds: 40,
    clipFrames: 2,
  });

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lecture-test-'));
    halls.push(await renderHall(0, path.join(work, 'hall-0'), options()));
    halls.push(await renderHall(1, path.join(work, 'hall-1'), options()));
  }, 120_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("reads the script's truth and schedules every present student and stranger, never an absent one", () => {
    for (const h of halls) {
      expect(h.truth.present).toHaveLength(15);
      expect(h.truth.absent).toHaveLength(5);
      expect(h.truth.strangers).toHaveLength(3);
      expect([...h.schedule.keys()].sort()).toEqual([...h.truth.present, ...h.truth.strangers].sort());
      const offset = (h.index * 3) % 10;
      for (const t of h.schedule.values()) {
        expect(t).toBeGreaterThanOrEqual(offset);
        expect(t).toBeLessThanOrEqual(offset + 20);
      }
      expect(h.phases.at(-1)!.present.sort()).toEqual([...h.schedule.keys()].sort());
      expect(h.frames).toBe(200);
    }
    // Camera 1 draws from another part of lfw-dev: another class.
    expect(halls[1]!.truth.present).not.toEqual(halls[0]!.truth.present);
    expect(existsSync(path.join(halls[1]!.rosterDir, halls[1]!.truth.absent[0]!))).toBe(true);
  });

  it("shows a student's seat empty until their arrival and taken from it on", async () => {
    const h = halls[1]!;
    // The nearest-row student who walks in last (their face is the largest change of the frame).
    const seat = h.seats
      .filter((s) => s.name && h.truth.present.includes(s.name) && h.schedule.get(s.name)! > 0)
      .sort((a, b) => b.w - a.w || h.schedule.get(b.name!)! - h.schedule.get(a.name!)!)[0]!;
    const k = h.schedule.get(seat.name!)! * 5;
    const spread = async (frame: number) => {
      const file = h.pattern.replace('%06d', String(frame).padStart(6, '0'));
      const size = Math.round(seat.w);
      const region = {
        left: Math.round(seat.x - size / 2),
        top: Math.round(seat.y - size / 2),
        width: size,
        height: size,
      };
      // sharp's stats() describes the whole input, not the extract: measure the raw pixels.
      const px = await sharp(file).extract(region).greyscale().raw().toBuffer();
      const mean = px.reduce((a, v) => a + v, 0) / px.length;
      return Math.sqrt(px.reduce((a, v) => a + (v - mean) ** 2, 0) / px.length);
    };
    const before = await spread(k - 1);
    const after = await spread(k);
    expect(before).toBeLessThan(4); // the back of an empty seat: flat grey with a little noise (~0.8)
    expect(after).toBeGreaterThan(10); // a face (~15)
  });

  it('is served by ffmpeg with the ESP32 boundary, each part the rendered JPEG byte for byte', async () => {
    const h = halls[0]!;
    const port = await freePort();
    const ffmpeg = streamFramesWithFfmpeg(h.pattern, port, 5, false);
    try {
      let res: Response | undefined;
      for (let i = 0; i < 50 && !res; i++)
        res = await fetch(`http://127.0.0.1:${port}/stream`).catch(
          () => new Promise<undefined>((r) => setTimeout(r, 100)),
        );
      expect(res!.headers.get('content-type')).toContain(ESP32_PART_BOUNDARY);
      const reader = res!.body!.getReader();
      const chunks: Buffer[] = [];
      const until = Date.now() + 1_500;
      while (Date.now() < until) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
      }
      await reader.cancel();
      const body = Buffer.concat(chunks);
      let at = 0;
      for (let k = 0; k < 4; k++) {
        const jpeg = readFileSync(realpathSync(h.pattern.replace('%06d', String(k).padStart(6, '0'))));
        const found = body.indexOf(jpeg, at);
        expect(found, `frame ${k} copied unchanged`).toBeGreaterThan(at);
        expect(body.subarray(at, found).toString('latin1')).toContain(`--${ESP32_PART_BOUNDARY}`);
        at = found + jpeg.length;
      }
    } finally {
      await ffmpeg.kill();
    }
  });

  it('sums up a camera: recall, time to record from the arrival, strangers and rows of people not (yet) in the hall', () => {
    const h = halls[0]!;
    const late = h.truth.present.find((n) => h.schedule.get(n)! >= 10)!;
    const [first, second] = h.truth.present.filter((n) => n !== late) as [string, string];
    const arrived = (n: string) => h.schedule.get(n)! * 1000;
    const s = summarizeCamera(h.truth, h.schedule, [
      { name: first, atMs: arrived(first) + 3_200, seat: first },
      { name: first, atMs: arrived(first) + 9_000 },
      { name: second, atMs: arrived(second) + 500, seat: h.truth.strangers[0]! },
      { name: h.truth.absent[0]!, atMs: 10_000 },
      { name: late, atMs: arrived(late) - 2_000, seat: null },
    ]);
    expect(s.toRecordSeconds[first]).toBe(3.2);
    expect(s.toRecordSeconds[second]).toBe(0.5);
    expect(s.toRecordSeconds[late]).toBeUndefined();
    expect(s.notInHall).toEqual([h.truth.absent[0]]);
    expect(s.beforeArrival).toEqual([late]);
    expect(s.recorded).toBe(3);
    expect(s.strangersRecorded).toEqual([`${second} ← ${h.truth.strangers[0]}`]);
    expect(s.fromAnotherSeat).toEqual([`${late} ← empty seat`]);
    expect(s.missed).toHaveLength(15 - s.recorded);
  });
});
