import { describe, expect, it } from 'vitest';
import { DEFAULT_EVIDENCE_OPTIONS } from '@/lib/attendance/track-evidence';
import { FrameQueue } from '@/lib/camera/frame-queue';
import type { Frame } from '@/lib/camera/types';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import type { CameraFrameAnalysis } from '@/lib/face/engine-pool';
import type { PendingRecognition } from './attendance-writer';
import { MODEL, face, openSession, tpl } from '@/test/helpers/processor-fakes';
import type { ActiveSession } from '@/lib/attendance/session-window';
import { FramePipeline, type TrackOutcome, type UnknownTrack } from './frame-pipeline';
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
    expect(decisions.map((d) => [d.outcome, d.afterUnknown ?? false])).toEqual([
      ['unknown', false],
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
