/** Fakes for the camera processor's unit tests: templates of a made-up model and faces in a row. */
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
