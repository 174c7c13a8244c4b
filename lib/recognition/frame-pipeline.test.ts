import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { ChangeDetector } from '@/lib/camera/change-detector';
import { DEFAULT_EVIDENCE_OPTIONS } from '@/lib/attendance/track-evidence';
import { FrameQueue } from '@/lib/camera/frame-queue';
import type { Frame } from '@/lib/camera/types';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import type { CameraFrameAnalysis } from '@/lib/face/engine-pool';
import type { PendingRecognition } from './attendance-writer';
import { MODEL, face, openSession, tpl } from '@/test/helpers/processor-fakes';
import type { ActiveSession } from '@/lib/attendance/session-window';
import {
  FramePipeline,
  IDLE_FRAME_MS,
  IDLE_FULL_SCAN_MS,
  IDLE_LOOK_MS,
  UNKNOWN_LOOK_EVERY_MS,
  type TrackOutcome,
  type UnknownTrack,
} from './frame-pipeline';
import type { TrackLink } from './track-links';
import { Limiter } from './limiter';
import type { LivenessMode } from '@/lib/attendance/track-liveness';
import type { CourseGallery } from './course-gallery';

/**
 * Three people in every frame: ann (enrolled, in the gallery), a stranger, and cy, whom the gallery
 * knows but who is not enrolled in this course's session roster passed to recordDecision.
 */
async function run(session: ActiveSession) {
  const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  matcher.add('ann', tpl(1, 0, 0));
  matcher.add('cy', tpl(0, 1, 0));
  const gallery: CourseGallery = {
    courseId: 'c1',
    matcher,
    students: new Set(['ann']),
    legacy: [],
    builtAt: 0,
  };
  const queue = new FrameQueue<Frame>(64);
  const now = Date.now();
  for (let i = 0; i < 8; i++) queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: now + i * 100 });
  queue.close();
  const analysis: CameraFrameAnalysis = {
    width: 640,
    height: 480,
    faces: [
      { face: face(20), template: tpl(0.98, 0.05, 0), legacy: [], liveness: null },
      { face: face(200), template: tpl(0, 0, 1), legacy: [], liveness: null },
      { face: face(400), template: tpl(0.05, 0.97, 0), legacy: [], liveness: null },
    ],
  };
  const decisions: TrackOutcome[] = [];
  const recorded: PendingRecognition[] = [];
  const pipeline = new FramePipeline({
    cameraId: 'cam',
    queue,
    engine: { analyzeFrame: async () => analysis },
    limiter: new Limiter(2),
    livenessMode: () => 'off',
    sessionAt: () => session,
    gallery: async () => gallery,
    wantsLegacy: () => false,
    sink: { submit: (item) => recorded.push(item) },
    onUnknown: () => {},
    onDecision: (d) => decisions.push(d),
    settings: { earlyMinutes: 10, lateMinutes: 15 },
    evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
  });
  await pipeline.run(new AbortController().signal);
  return { decisions, recorded, stats: pipeline.stats };
}

describe('FramePipeline decisions', () => {
  it('reports every decided track: recognised (with score and votes), unknown (with best score), recognised but not enrolled', async () => {
    const { decisions, recorded } = await run({
      sessionId: 's1',
      courseId: 'c1',
      cameraId: 'cam',
      lateAfterMinutes: null,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 3_600_000),
      status: 'open',
    });
    const by = (o: string) => decisions.filter((d) => d.outcome === o);
    expect(by('recognized')).toEqual([
      expect.objectContaining({ cameraId: 'cam', sessionId: 's1', studentId: 'ann', votes: 2 }),
    ]);
    expect(by('recognized')[0]!.score).toBeGreaterThan(0.95);
    expect(by('not-enrolled')).toEqual([expect.objectContaining({ studentId: 'cy', votes: 2 })]);
    // The stranger's votes never clear the threshold: unknown after maxVotes, best score ~0.
    const unknown = by('unknown');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ votes: DEFAULT_EVIDENCE_OPTIONS.firstVerdictAfter, reason: 'low-score' });
    expect(unknown[0]!.score).toBeLessThan(0.1);
    expect(recorded.map((r) => [r.input.studentId, r.votes])).toEqual([['ann', 2]]);
  });

  it('a recognition outside the session window is reported with why nothing was recorded', async () => {
    const { decisions, recorded } = await run({
      sessionId: 's2',
      courseId: 'c1',
      cameraId: 'cam',
      lateAfterMinutes: null,
      startsAt: new Date(Date.now() + 3_600_000),
      endsAt: new Date(Date.now() + 7_200_000),
      status: 'scheduled',
    });
    expect(decisions.find((d) => d.studentId === 'ann')).toMatchObject({ outcome: 'too-early' });
    expect(recorded).toEqual([]);
  });

  it("asks for legacy embeddings from the session's first frame when the course's gallery wants them", async () => {
    const queue = new FrameQueue<Frame>(8);
    const now = Date.now();
    for (let i = 0; i < 3; i++) queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: now + i * 100 });
    queue.close();
    const asked: Array<boolean | undefined> = [];
    const gallery: CourseGallery = {
      courseId: 'c1',
      matcher: new EmbeddingMatcher({ ...MODEL, threshold: 0.5 }),
      students: new Set(),
      legacy: [],
      builtAt: 0,
    };
    await new FramePipeline({
      cameraId: 'cam',
      queue,
      engine: {
        analyzeFrame: async (_jpeg, { legacy } = {}) => {
          asked.push(legacy);
          return {
            width: 640,
            height: 480,
            faces: [{ face: face(20), template: tpl(0, 0, 1), legacy: [], liveness: null }],
          };
        },
      },
      limiter: new Limiter(2),
      livenessMode: () => 'off',
      sessionAt: () => openSession(now),
      gallery: async () => gallery,
      wantsLegacy: (courseId) => courseId === 'c1',
      sink: { submit: () => {} },
      onUnknown: () => {},
      settings: { earlyMinutes: 10, lateMinutes: 15 },
      evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
    }).run(new AbortController().signal);
    expect(asked).toEqual([true, true, true]);
  });

  it('embeds a track on its first 2 frames and then every 4th, even when frames arrive in a burst', async () => {
    const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
    matcher.add('ann', tpl(1, 0, 0));
    const gallery: CourseGallery = {
      courseId: 'c1',
      matcher,
      students: new Set(['ann']),
      legacy: [],
      builtAt: 0,
    };
    const queue = new FrameQueue<Frame>(64);
    const now = Date.now();
    for (let i = 0; i < 20; i++) queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: now + i * 100 });
    queue.close();
    const embeddedAt: number[] = [];
    const stranger = face(200);
    const overlaps = (b: { x: number; width: number }) => Math.abs(b.x - stranger.box.x) < stranger.box.width / 2;
    const pipeline = new FramePipeline({
      cameraId: 'cam',
      queue,
      // The engine: a face in a skip box is detected only; any other face is embedded.
      engine: {
        analyzeFrame: async (jpeg, { skipBoxes = [] } = {}) => {
          await new Promise((r) => setTimeout(r, 2));
          const embed = !skipBoxes.some(overlaps);
          if (embed) embeddedAt.push(jpeg[0]!);
          return {
            width: 640,
            height: 480,
            faces: [{ face: stranger, template: embed ? tpl(0, 0, 1) : null, legacy: [], liveness: null }],
          };
        },
      },
      limiter: new Limiter(4),
      livenessMode: () => 'off',
      sessionAt: () => openSession(now),
      gallery: async () => gallery,
      wantsLegacy: () => false,
      sink: { submit: () => {} },
      onUnknown: () => {},
      settings: { earlyMinutes: 10, lateMinutes: 15 },
      evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
      maxInFlight: 2,
    });
    await pipeline.run(new AbortController().signal);
    // The stranger is called unknown at its 6th sighting (frame 17); the next look comes resampleMs (2 s) later.
    expect(embeddedAt).toEqual([0, 1, 5, 9, 13, 17]);
  });
});

/** ann alone in front of the camera; each embedded sighting has liveness `scores[i]` (cycled). */
async function runLiveness(mode: LivenessMode, scores: number[]) {
  const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  matcher.add('ann', tpl(1, 0, 0));
  const gallery: CourseGallery = {
    courseId: 'c1',
    matcher,
    students: new Set(['ann']),
    legacy: [],
    builtAt: 0,
  };
  const queue = new FrameQueue<Frame>(64);
  const now = Date.now();
  for (let i = 0; i < 6; i++) queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: now + i * 100 });
  queue.close();
  const asked: boolean[] = [];
  let n = 0;
  const decisions: TrackOutcome[] = [];
  const recorded: PendingRecognition[] = [];
  const queued: UnknownTrack[] = [];
  const pipeline = new FramePipeline({
    cameraId: 'cam',
    queue,
    engine: {
      analyzeFrame: async (_jpeg, { liveness = false } = {}) => {
        asked.push(liveness);
        return {
          width: 640,
          height: 480,
          faces: [
            {
              face: face(20),
              template: tpl(0.98, 0.05, 0),
              legacy: [],
              liveness: liveness ? scores[n++ % scores.length]! : null,
            },
          ],
        };
      },
    },
    livenessMode: () => mode,
    livenessThreshold: 0.5,
    limiter: new Limiter(2),
    sessionAt: () => openSession(now),
    gallery: async () => gallery,
    wantsLegacy: () => false,
    sink: { submit: (item) => recorded.push(item) },
    onUnknown: (t) => queued.push(t),
    onDecision: (d) => decisions.push(d),
    settings: { earlyMinutes: 10, lateMinutes: 15 },
    evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
  });
  await pipeline.run(new AbortController().signal);
  return { asked, decisions, recorded, queued, stats: pipeline.stats };
}

describe('FramePipeline liveness per camera mode', () => {
  it('off: liveness is not asked for and the row is as before', async () => {
    for (const mode of ['off'] as const) {
      const r = await runLiveness(mode, [0.01]);
      expect(r.asked.every((a) => a === false)).toBe(true);
      expect(r.recorded).toHaveLength(1);
      expect(r.recorded[0]!.input).not.toHaveProperty('livenessDoubtful');
      expect(r.decisions[0]).toMatchObject({ outcome: 'recognized', liveness: null });
    }
  });

  it('flag: a track that looks like a photo is recorded and marked doubtful, with its mean score', async () => {
    const r = await runLiveness('flag', [0.1, 0.2]);
    expect(r.recorded).toHaveLength(1);
    expect(r.recorded[0]!.input).toMatchObject({ studentId: 'ann', livenessDoubtful: true });
    expect(r.recorded[0]!.input.livenessScore).toBeCloseTo(0.15);
    expect(r.decisions[0]).toMatchObject({ outcome: 'recognized', livenessDoubtful: true });
    expect(r.queued).toEqual([]);
  });

  it('block: a doubtful track records nothing and is queued for review as a suspected spoof of the student', async () => {
    const r = await runLiveness('block', [0.1, 0.3]);
    expect(r.recorded).toEqual([]);
    expect(r.decisions[0]).toMatchObject({ outcome: 'suspected-spoof', studentId: 'ann' });
    expect(r.queued).toEqual([
      expect.objectContaining({ kind: 'suspected_spoof', matchedStudentId: 'ann', sessionId: 's1' }),
    ]);
    expect(r.queued[0]!.livenessScore).toBeCloseTo(0.2);
    expect(r.stats.suspectedSpoofs).toBe(1);
  });

  it('block: a live track (mean over its sightings, one bad frame allowed) is recorded unmarked', async () => {
    const r = await runLiveness('block', [0.95, 0.3]);
    expect(r.recorded).toHaveLength(1);
    expect(r.recorded[0]!.input).toMatchObject({ livenessDoubtful: false });
    expect(r.queued).toEqual([]);
  });
});

/** One seat: who sits there in each frame (null: nobody), 100 ms apart; ann and bo are enrolled; `dim` is ann in the dark. */
async function runSeat(occupants: Array<'ann' | 'bo' | 'dim' | null>) {
  const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  matcher.add('ann', tpl(1, 0, 0));
  matcher.add('bo', tpl(0, 1, 0));
  const gallery: CourseGallery = {
    courseId: 'c1',
    matcher,
    students: new Set(['ann', 'bo']),
    legacy: [],
    builtAt: 0,
  };
  const queue = new FrameQueue<Frame>(256);
  const now = Date.now();
  occupants.forEach((_, i) => queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: now + i * 100 }));
  queue.close();
  const links: TrackLink[] = [];
  const recorded: string[] = [];
  const queued: UnknownTrack[] = [];
  const withdrawn: string[][] = [];
  const decisions: TrackOutcome[] = [];
  const pipeline = new FramePipeline({
    cameraId: 'cam',
    queue,
    engine: {
      analyzeFrame: async (jpeg, { skipBoxes = [] } = {}) => {
        const who = occupants[jpeg[0]!];
        const seat = face(100);
        if (!who) return { width: 640, height: 480, faces: [] };
        const embed = !skipBoxes.some((b) => Math.abs(b.x - seat.box.x) < 20);
        const look = { ann: tpl(0.98, 0.05, 0), bo: tpl(0.05, 0.98, 0), dim: tpl(0.3, 0.1, 0.95) };
        const template = embed ? look[who] : null;
        return { width: 640, height: 480, faces: [{ face: seat, template, legacy: [], liveness: null }] };
      },
    },
    limiter: new Limiter(2),
    livenessMode: () => 'off',
    sessionAt: () => openSession(now),
    gallery: async () => gallery,
    wantsLegacy: () => false,
    sink: { submit: (item) => recorded.push(item.input.studentId) },
    onUnknown: (t) => queued.push(t),
    onUnknownRecognised: (refs) => withdrawn.push(refs),
    onDecision: (d) => decisions.push(d),
    onLinked: (l) => links.push(l),
    settings: { earlyMinutes: 10, lateMinutes: 15 },
    evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
    maxInFlight: 1,
  });
  await pipeline.run(new AbortController().signal);
  return { links, recorded, queued, withdrawn, decisions };
}

describe('FramePipeline broken tracks', () => {
  const away = (n: number) => Array.from({ length: n }, () => null);
  const sits = (who: 'ann' | 'bo' | 'dim', n: number) => Array.from({ length: n }, () => who);

  it('a face that comes back to its seat continues its track: recognised stays recognised, recorded once', async () => {
    const { links, recorded } = await runSeat([...sits('ann', 10), ...away(10), ...sits('ann', 10)]);
    expect(links).toEqual([expect.objectContaining({ fromTrackId: 1, trackId: 2, decision: 'recognized' })]);
    expect(links[0]!.agreement).toBeGreaterThan(0.9);
    expect(recorded).toEqual(['ann']);
  });

  it('another person in the same seat is never linked to the one who left (a seat swap)', async () => {
    const { links, recorded } = await runSeat([...sits('ann', 10), ...away(10), ...sits('bo', 10)]);
    expect(links).toEqual([]);
    expect(recorded).toEqual(['ann', 'bo']);
  });

  it('a face called unknown in the dark is looked at again and recognised later; its review entry is withdrawn', async () => {
    const { recorded, queued, withdrawn, decisions } = await runSeat([...sits('dim', 20), ...sits('ann', 80)]);
    // Her first lit look is a clear one: it reopens the burst, which recognises her.
    expect(decisions.map((d) => [d.outcome, d.afterUnknown ?? false])).toEqual([
      ['unknown', false],
      ['one-clear-look', false],
      ['recognized', true],
    ]);
    expect(recorded).toEqual(['ann']);
    expect(queued.map((q) => q.trackRef)).toEqual(['s1:1']);
    expect(withdrawn).toEqual([['s1:1']]);
  });

  it('a track that ended unknown, leaning to the student later recognised in its place, has its review entry withdrawn too', async () => {
    const { recorded, queued, withdrawn, links } = await runSeat([...sits('dim', 20), ...away(10), ...sits('ann', 10)]);
    expect(links).toEqual([]); // the dark look does not agree with the lit one: no link…
    expect(recorded).toEqual(['ann']);
    expect(queued.map((q) => q.trackRef)).toEqual(['s1:1']);
    expect(withdrawn).toEqual([['s1:1']]); // …but it leaned to ann, in ann's place
  });

  it('a stranger who leaves a seat keeps their review entry when a student sits down there', async () => {
    const { withdrawn, recorded } = await runSeat([...sits('dim', 20), ...away(10), ...sits('bo', 10)]);
    expect(recorded).toEqual(['bo']);
    expect(withdrawn).toEqual([]);
  });
});

/** A 640×480 textured scene (a still classroom), with a bright 60×60 patch at (x, y) when given (someone new). */
async function scene(patch?: { x: number; y: number }): Promise<Buffer> {
  const width = 640,
    height = 480;
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inPatch = patch && x >= patch.x && x < patch.x + 60 && y >= patch.y && y < patch.y + 60;
      const v = inPatch ? 250 : 60 + (((x >> 4) * 7 + (y >> 4) * 13) % 90);
      px.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  return sharp(px, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * A camera at 5 frames/s (`pictures[i]` at i × 200 ms) watching ann (enrolled) and, when `stranger`,
 * someone the gallery does not know (`strangers`: that many, side by side); what the engine was asked,
 * frame by frame (`embeddedX`: where the embedded faces were).
 */
async function runGated(pictures: Buffer[], opts: { stranger?: boolean; strangers?: number; oneOffAt?: number } = {}) {
  const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  matcher.add('ann', tpl(1, 0, 0));
  const gallery: CourseGallery = { courseId: 'c1', matcher, students: new Set(['ann']), legacy: [], builtAt: 0 };
  const queue = new FrameQueue<Frame>(pictures.length);
  const now = Date.now();
  const frameAt = new Map<Buffer, number>();
  pictures.forEach((p, i) => {
    const jpeg = Buffer.from(p); // its own buffer, so the engine can tell which frame it was given
    frameAt.set(jpeg, i * 200);
    queue.push({ cameraId: 'cam', jpeg, receivedAt: now + i * 200 });
  });
  queue.close();
  const analysed: Array<{ at: number; full: boolean; embedded: number; embeddedX: number[] }> = [];
  const recorded: PendingRecognition[] = [];
  const unknownAt: number[] = [];
  const boxes: number[] = [];
  const people = [{ face: face(20), template: tpl(0.98, 0.05, 0) }];
  if (opts.stranger || opts.oneOffAt !== undefined) people.push({ face: face(400), template: tpl(0, 0, 1) });
  for (let k = 0; k < (opts.strangers ?? 0); k++) people.push({ face: face(200 + 100 * k), template: tpl(0, 0, 1) });
  const pipeline = new FramePipeline({
    cameraId: 'cam',
    queue,
    engine: {
      analyzeFrame: async (jpeg, { focusBoxes, skipBoxes = [] } = {}) => {
        const at = frameAt.get(jpeg as Buffer)!;
        // `oneOffAt`: the second face is a false detection in that frame only.
        const inView = opts.oneOffAt === undefined ? people : people.slice(0, at === opts.oneOffAt ? 2 : 1);
        const faces = inView.map((p) => {
          const skip = skipBoxes.some((b) => Math.abs(b.x - p.face.box.x) < p.face.box.width / 2);
          return { face: p.face, template: skip ? null : p.template, legacy: [], liveness: null };
        });
        analysed.push({
          at,
          full: focusBoxes === undefined,
          embedded: faces.filter((f) => f.template).length,
          embeddedX: faces.filter((f) => f.template).map((f) => f.face.box.x),
        });
        return { width: 640, height: 480, faces };
      },
    },
    limiter: new Limiter(2),
    livenessMode: () => 'off',
    sessionAt: () => openSession(now),
    gallery: async () => gallery,
    wantsLegacy: () => false,
    sink: { submit: (item) => recorded.push(item) },
    onUnknown: (track) => unknownAt.push(track.seenAt.getTime() - now),
    onFrame: (f) => boxes.push(f.faces.length),
    settings: { earlyMinutes: 10, lateMinutes: 15 },
    evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
  });
  await pipeline.run(new AbortController().signal);
  return { analysed, recorded, unknownAt, stats: pipeline.stats };
}

describe('FramePipeline change gate', () => {
  it('a still room whose faces are all recognised is analysed at most once a second, with a full scan every 5 s; the track keeps its box', async () => {
    const still = await scene();
    const { analysed, recorded, stats } = await runGated(Array.from({ length: 75 }, () => still)); // 15 s
    // The first two frames decide ann (2 votes); from then on the room idles.
    expect(analysed.slice(0, 2).map((a) => a.at)).toEqual([0, 200]);
    const idle = analysed.slice(2);
    // One frame a second; a full scan that falls due in between comes at once.
    for (let i = 1; i < idle.length; i++)
      if (!idle[i]!.full) expect(idle[i]!.at - idle[i - 1]!.at).toBeGreaterThanOrEqual(IDLE_FRAME_MS);
    expect(idle.filter((a) => !a.full).length).toBeLessThanOrEqual(15);
    expect(idle.length).toBeLessThanOrEqual(15 + 3);
    const full = analysed.filter((a) => a.full).map((a) => a.at);
    expect(full[0]).toBe(0);
    for (let i = 1; i < full.length; i++) expect(full[i]! - full[i - 1]!).toBeLessThanOrEqual(IDLE_FULL_SCAN_MS + 200);
    expect(full.at(-1)).toBeGreaterThanOrEqual(15_000 - IDLE_FULL_SCAN_MS - 200);
    // A recognised face is never embedded again.
    expect(analysed.slice(2).every((a) => a.embedded === 0)).toBe(true);
    expect(stats.gated).toBe(75 - analysed.length);
    expect(stats.processed).toBe(analysed.length);
    // Gated frames do not age the track: the same track all along, recorded once.
    expect(stats.tracks).toBe(1);
    expect(recorded).toHaveLength(1);
  });

  it('a change outside the known heads brings back every frame at once, with a full scan first', async () => {
    const still = await scene();
    const arrived = await scene({ x: 420, y: 300 });
    // 6 s still, then someone sits down at (420, 300) and stays.
    const pictures = [...Array.from({ length: 30 }, () => still), ...Array.from({ length: 10 }, () => arrived)];
    const { analysed } = await runGated(pictures);
    const at = analysed.map((a) => a.at);
    expect(at.filter((t) => t < 6_000).length).toBeLessThanOrEqual(2 + 6);
    // The idling gate looks at a frame at least every IDLE_LOOK_MS: the change is seen by then, with a
    // full scan, and every frame from there on is analysed (the background takes seconds to absorb it).
    const first = at.find((t) => t >= 6_000)!;
    expect(first).toBeLessThanOrEqual(6_000 + IDLE_LOOK_MS);
    expect(analysed.find((a) => a.at === first)!.full).toBe(true);
    expect(at.filter((t) => t >= first)).toEqual(
      Array.from({ length: (8_000 - first) / 200 }, (_, i) => first + i * 200),
    );
  });

  it('a stranger keeps every frame analysed until reported unknown; then the room idles and the stranger still gets a look every 2 s', async () => {
    const still = await scene();
    const { analysed, unknownAt, stats } = await runGated(
      Array.from({ length: 75 }, () => still), // 15 s
      { stranger: true },
    );
    expect(unknownAt).toHaveLength(1);
    const at = analysed.map((a) => a.at);
    // Undecided: every frame, until the stranger's sightings reported it unknown.
    const firstGap = at.findIndex((t, i) => i > 0 && t - at[i - 1]! > 200);
    const reported = at[firstGap - 1]!;
    expect(at.slice(0, firstGap)).toEqual(Array.from({ length: firstGap }, (_, i) => i * 200));
    const sightings = analysed.slice(0, firstGap).filter((a) => a.embedded > 0).length;
    expect(sightings).toBeGreaterThanOrEqual(DEFAULT_EVIDENCE_OPTIONS.firstVerdictAfter);
    // Decided: at most one frame a second (a due full scan comes at once), the frames in between gated.
    const idle = analysed.slice(firstGap);
    for (let i = 1; i < idle.length; i++)
      if (!idle[i]!.full) expect(idle[i]!.at - idle[i - 1]!.at).toBeGreaterThanOrEqual(IDLE_FRAME_MS);
    expect(stats.gated).toBeGreaterThanOrEqual(30);
    // Its later looks go on: embedded at least every 2 s plus one idle frame, and ann never again.
    const looks = analysed.filter((a) => a.at > reported && a.embedded > 0).map((a) => a.at);
    expect(looks.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < looks.length; i++) expect(looks[i]! - looks[i - 1]!).toBeLessThanOrEqual(2_000 + IDLE_FRAME_MS);
    expect(analysed.slice(2).every((a) => a.embedded <= 1)).toBe(true);
  });

  it('an idling camera’s gate looks at no more than 2 frames a second; the frames in between are let go undecoded', async () => {
    const still = await scene();
    const observe = vi.spyOn(ChangeDetector.prototype, 'observe');
    try {
      const { analysed, stats } = await runGated(Array.from({ length: 75 }, () => still)); // 15 s at 5 frames/s
      const looks = observe.mock.calls.map(([, at]) => at);
      const start = looks[0]!;
      // ann is decided at the second frame; from then on the gate looks IDLE_LOOK_MS apart at least,
      // besides the frames analysed anyway (one a second).
      const idleLooks = looks.filter((t) => t - start >= 400);
      const analysedAt = new Set(analysed.map((a) => start + a.at));
      const extra = idleLooks.filter((t, i) => i > 0 && t - idleLooks[i - 1]! < IDLE_LOOK_MS && !analysedAt.has(t));
      expect(extra).toEqual([]);
      expect(idleLooks.length).toBeLessThanOrEqual(2 * 15 + analysed.length);
      expect(looks.length).toBeLessThan(75 * 0.7);
      // Every frame is either analysed or gated: none is lost.
      expect(stats.processed + stats.gated).toBe(75);
    } finally {
      observe.mockRestore();
    }
  });

  it('faces reported unknown share one later look per camera a second, the longest waiting first', async () => {
    const still = await scene();
    const { analysed, unknownAt } = await runGated(
      Array.from({ length: 100 }, () => still), // 20 s
      { strangers: 3 },
    );
    expect(unknownAt).toHaveLength(3);
    // After the three are reported unknown, the embeddings are their later looks only (ann is recognised).
    const lastBurst = analysed.findLastIndex((a) => a.embedded > 1);
    const later = analysed.slice(lastBurst + 1).filter((a) => a.embedded > 0);
    expect(later.every((a) => a.embedded === 1)).toBe(true);
    for (let i = 1; i < later.length; i++)
      expect(later[i]!.at - later[i - 1]!.at).toBeGreaterThanOrEqual(UNKNOWN_LOOK_EVERY_MS);
    // Round robin: each of the three gets every third look, none waits much longer than 3 looks.
    const xs = later.map((a) => a.embeddedX[0]);
    expect(new Set(xs).size).toBe(3);
    for (let i = 3; i < xs.length; i++) expect(xs[i]).toBe(xs[i - 3]);
    expect(later.length).toBeGreaterThanOrEqual(10);
  });

  it('a face seen once and then missed twice (gone, or a false detection) no longer keeps every frame analysed', async () => {
    const still = await scene();
    const { analysed, stats } = await runGated(
      Array.from({ length: 20 }, () => still),
      { oneOffAt: 0 },
    );
    // Frames 1 and 2 miss it (ann is decided by frame 1's vote); the frame sent while frame 2 is still
    // being analysed goes too; then the camera idles.
    const at = analysed.map((a) => a.at);
    expect(at.slice(0, 3)).toEqual([0, 200, 400]);
    expect(at.filter((t) => t < 1_000).length).toBeLessThanOrEqual(4);
    const idle = at.filter((t) => t >= 1_000);
    for (let i = 1; i < idle.length; i++) expect(idle[i]! - idle[i - 1]!).toBeGreaterThanOrEqual(IDLE_FRAME_MS);
    expect(stats.gated).toBeGreaterThanOrEqual(13);
  });
});
