/** Box and landmark geometry shared by the detectors. */
import type { FaceBox, Point } from './types';

export function iou(a: FaceBox, b: FaceBox): number {
  const x1 = Math.max(a.x, b.x),
    y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width),
    y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a.width * a.height + b.width * b.height - inter || 1);
}

/** Greedy non-maximum suppression: best score first, drop anything overlapping a kept box by ≥ `threshold`. */
export function nms<T extends { box: FaceBox; score: number }>(cands: T[], threshold = 0.3): T[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const c of sorted) if (kept.every((k) => iou(k.box, c.box) < threshold)) kept.push(c);
  return kept;
}

/**
 * Roll / yaw (degrees) from the 5 landmarks. Yaw comes from how far the nose sits from the eyes'
 * midpoint, along the eye line, in eye distances. Null when the eyes coincide.
 */
export function poseFromLandmarks(points: readonly Point[]): { roll: number; yaw: number } | null {
  const [eyeL, eyeR, nose] = points;
  const eyeDist = Math.hypot(eyeR[0] - eyeL[0], eyeR[1] - eyeL[1]);
  if (!Number.isFinite(eyeDist) || eyeDist < 1) return null;
  const roll = (Math.atan2(eyeR[1] - eyeL[1], eyeR[0] - eyeL[0]) * 180) / Math.PI;
  const ex = (eyeR[0] - eyeL[0]) / eyeDist,
    ey = (eyeR[1] - eyeL[1]) / eyeDist;
  const midX = (eyeL[0] + eyeR[0]) / 2,
    midY = (eyeL[1] + eyeR[1]) / 2;
  const offset = ((nose[0] - midX) * ex + (nose[1] - midY) * ey) / eyeDist;
  const yaw = (Math.asin(Math.max(-1, Math.min(1, offset * 1.7))) * 180) / Math.PI;
  return { roll, yaw };
}
