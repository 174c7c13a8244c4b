/** Turns a camera's LastFrame into the JPEG the cameras page shows: names resolved when asked for. */
import { drawFaceBoxes, type OverlayFace } from './frame-overlay';
import type { LastFrame } from './last-frames';

export async function renderLastFrame(frame: LastFrame, names: (studentIds: string[]) => Promise<Map<string, string>>): Promise<Buffer> {
  const ids = [...new Set(frame.faces.flatMap((f) => (f.label.kind === 'recognized' ? [f.label.studentId] : [])))];
  // A database outage must not blank the live view: fall back to showing ids.
  const resolved = await names(ids).catch(() => new Map<string, string>());
  const faces: OverlayFace[] = frame.faces.map(({ box, label }) => ({
    box,
    tone: label.kind,
    text: label.kind === 'recognized' ? (resolved.get(label.studentId) ?? label.studentId.slice(0, 8)) : label.kind === 'unknown' ? 'unknown' : '…',
  }));
  return drawFaceBoxes(frame.jpeg, faces);
}
