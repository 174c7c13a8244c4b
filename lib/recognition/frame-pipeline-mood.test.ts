/**
 * Class mood in the frame pipeline, with a fake engine: a course that counts class mood gets one
 * mood frame per interval (every face of that frame read, tracks between votes too); a course that
 * does not never asks the engine for mood; the readings reach onMood with the session only.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVIDENCE_OPTIONS } from '@/lib/attendance/track-evidence';
import { FrameQueue } from '@/lib/camera/frame-queue';
import type { Frame } from '@/lib/camera/types';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import type { CameraFrameAnalysis } from '@/lib/face/engine-pool';
import type { MoodSample } from '@/lib/face/mood';
import { MODEL, face, tpl } from '@/test/helpers/processor-fakes';
import type { ActiveSession } from '@/lib/attendance/session-window';
import { FramePipeline } from './frame-pipeline';
import { Limiter } from './limiter';
import type { CourseGallery } from './course-gallery';
import { MoodTally } from './mood-tally';
import { createLogger } from '@/lib/log';

async function run(classMood: boolean, frames: number, intervalMs: number) {
  const matcher = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  matcher.add('ann', tpl(1, 0, 0));
  const gallery: CourseGallery = {
    courseId: 'c1',
    matcher,
    students: new Set(['ann']),
    legacy: [],
    builtAt: 0,
  };
  const session: ActiveSession = {
    sessionId: 's1',
    courseId: 'c1',
    cameraId: 'cam',
    lateAfterMinutes: null,
    startsAt: new Date(Date.now() - 60_000),
    endsAt: new Date(Date.now() + 3_600_000),
    status: 'open',
    classMood,
  };
  const queue = new FrameQueue<Frame>(64);
  const t0 = Date.now();
  // 5 frames a second.
  for (let i = 0; i < frames; i++) queue.push({ cameraId: 'cam', jpeg: Buffer.from([i]), receivedAt: t0 + i * 200 });
  queue.close();
  const asked: boolean[] = [];
  const readings: Array<{ sessionId: string; samples: MoodSample[] }> = [];
  const pipeline = new FramePipeline({
    cameraId: 'cam',
    queue,
    engine: {
      analyzeFrame: async (_jpeg, { mood = false } = {}) => {
        asked.push(mood);
        const a: CameraFrameAnalysis = {
          width: 640,
          height: 480,
          faces: [
            // ann is decided after two votes; on a mood frame her face is still read (template null).
            {
              face: face(20),
              template: asked.length <= 2 ? tpl(0.98, 0.05, 0) : null,
              legacy: [],
              liveness: null,
              mood: mood ? { mood: 'happy', eyesRead: true } : null,
            },
            {
              face: face(300),
              template: null,
              legacy: [],
              liveness: null,
              mood: mood ? { mood: 'tired', eyesRead: true } : null,
            },
          ],
        };
        return a;
      },
    },
    onMood: (sessionId, samples) => readings.push({ sessionId, samples }),
    moodIntervalMs: intervalMs,
    limiter: new Limiter(2),
    livenessMode: () => 'off',
    sessionAt: () => session,
    gallery: async () => gallery,
    wantsLegacy: () => false,
    sink: { submit: () => {} },
    onUnknown: () => {},
    settings: { earlyMinutes: 10, lateMinutes: 15 },
    evidence: { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 },
  });
  await pipeline.run(new AbortController().signal);
  return { asked, readings };
}

describe('class mood in the frame pipeline', () => {
  it('reads one frame per interval for a course that counts class mood, every face of it', async () => {
    // 25 frames over 4.8 s, a mood frame every 2 s: frames at 0, 2.0 and 4.0 s.
    const { asked, readings } = await run(true, 25, 2_000);
    expect(asked.filter(Boolean)).toHaveLength(3);
    expect(asked[0]).toBe(true);
    expect(asked[10]).toBe(true);
    expect(asked[20]).toBe(true);
    expect(readings).toEqual(
      [0, 1, 2].map(() => ({
        sessionId: 's1',
        samples: [
          { mood: 'happy', eyesRead: true },
          { mood: 'tired', eyesRead: true },
        ],
      })),
    );
  });

  it('never asks the engine for mood when the course does not count it', async () => {
    const { asked, readings } = await run(false, 25, 2_000);
    expect(asked.some(Boolean)).toBe(false);
    expect(readings).toEqual([]);
  });
});

describe('MoodTally', () => {
  const log = createLogger('mood-tally-test');

  it('sums per session and writes one batch per session per flush', async () => {
    const writes: Array<[string, object]> = [];
    const tally = new MoodTally({ add: async (s, c) => void writes.push([s, { ...c }]), log });
    const read = (mood: MoodSample['mood'], eyesRead = true): MoodSample => ({ mood, eyesRead });
    tally.record('s1', [read('happy'), read('happy', false), read('tired')]);
    tally.record('s2', [read('neutral', false)]);
    tally.record('s1', [read('other')]);
    expect(tally.waiting).toBe(5);
    await tally.flush();
    expect(writes).toEqual([
      ['s1', { happy: 2, neutral: 0, tired: 1, other: 1, eyesRead: 3 }],
      ['s2', { happy: 0, neutral: 1, tired: 0, other: 0, eyesRead: 0 }],
    ]);
    expect(tally.waiting).toBe(0);
  });

  it('keeps the counts of a failed write for the next flush', async () => {
    let fail = true;
    const writes: object[] = [];
    const tally = new MoodTally({
      add: async (_s, c) => {
        if (fail) throw new Error('database down');
        writes.push({ ...c });
      },
      log,
    });
    tally.record('s1', [{ mood: 'happy', eyesRead: true }]);
    await tally.flush();
    expect(tally.waiting).toBe(1);
    tally.record('s1', [{ mood: 'neutral', eyesRead: false }]);
    fail = false;
    await tally.stop();
    expect(writes).toEqual([{ happy: 1, neutral: 1, tired: 0, other: 0, eyesRead: 1 }]);
  });
});
