/** Fakes for the frame pipeline's unit tests: templates of a made-up model and faces in a row. */
import { embeddingToBytes } from '@/lib/face/embedding-bytes';
import type { DetectedFace, FaceTemplate } from '@/lib/face/types';

export const MODEL = { model: 'm', version: '1' };

/** A template of the fake model from the given vector. */
export const tpl = (...v: number[]): FaceTemplate => ({ ...MODEL, data: embeddingToBytes(Float32Array.from(v)) });

/** A 40×48 face at x (y 40), frontal. */
export const face = (x: number): DetectedFace => ({
  box: { x, y: 40, width: 40, height: 48 },
  score: 0.99,
  landmarks: [
    [x + 10, 55],
    [x + 30, 55],
    [x + 20, 68],
    [x + 12, 78],
    [x + 28, 78],
  ],
  pose: { roll: 0, yaw: 0 },
});

/** A session of course c1 on camera `cam`, open since a minute before `now`, for an hour. */
export const openSession = (now: number) => ({
  sessionId: 's1',
  courseId: 'c1',
  cameraId: 'cam',
  lateAfterMinutes: null,
  startsAt: new Date(now - 60_000),
  endsAt: new Date(now + 3_600_000),
  status: 'open' as const,
});
