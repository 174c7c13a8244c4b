/**
 * Turns a camera's LastFrame into the JPEG the cameras page shows: names resolved when asked for,
 * and each box labelled with the face's width in pixels, so an admin placing a camera can see
 * whether faces are big enough (README "Camera placement").
 */
import { drawFaceBoxes, type OverlayFace } from './frame-overlay';
import type { LastFrame } from './last-frames';

/** The label of one face box: who (or unknown / … while voting), then its width in pixels. */
export function faceLabel(who: string, width: number): string {
  return `${who} · ${Math.round(width)} px`;
}

export async function renderLastFrame(
  frame: LastFrame,
  names: (studentIds: string[]) => Promise<Map<string, string>>,
): Promise<Buffer> {
  const ids = [...new Set(frame.faces.flatMap((f) => (f.label.kind === 'recognized' ? [f.label.studentId] : [])))];
  // A database outage must not blank the live view: fall back to showing ids.
  const resolved = await names(ids).catch(() => new Map<string, string>());
  const faces: OverlayFace[] = frame.faces.map(({ box, label }) => ({
    box,
    tone: label.kind,
    text: faceLabel(
      label.kind === 'recognized'
        ? (resolved.get(label.studentId) ?? label.studentId.slice(0, 8))
        : label.kind === 'unknown'
          ? 'unknown'
          : '…',
      box.width,
    ),
  }));
  return drawFaceBoxes(frame.jpeg, faces);
}
