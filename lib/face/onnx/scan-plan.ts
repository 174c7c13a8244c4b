/**
 * Where the detector looks in a camera frame when the caller already knows where faces are. A full
 * tiled scan of a 1600×1200 frame at CAMERA_MIN_FACE_SIZE 20 runs the detector ~25 times; between
 * full scans a camera's faces are the tracks it already follows, so each is cut out with a margin,
 * scaled so the face is FOCUS_FACE_ON_INPUT px wide, and up to 12 such cells are packed side by side
 * into one detector input (a mosaic): a hall of 24 faces costs 2 detector runs instead of 25.
 * New faces are found by the caller's next full scan.
 */
import { iou } from '../boxes';
import type { FaceBox } from '../types';

/** A cell of a mosaic: its square on the detector input and the frame → input mapping inside it. */
export type FocusCell = {
  x: number;
  y: number;
  size: number;
  /** x_input = x_frame × scale + shiftX (likewise y); the shift includes the cell's position. */
  scale: number;
  shiftX: number;
  shiftY: number;
};

/** Cell side on the 320 × 240 input: 4 × 3 cells per detector run. */
export const FOCUS_CELL = 80;
/**
 * Face width on the input inside a cell: the cell then spans 2.5 face widths, so a face that moved
 * 0.6 of its width since its predicted box is still whole in its cell (a seated student at 2 fps moves
 * far less), and it stays within the detector's best range (faces 12–64 px on the input).
 */
export const FOCUS_FACE_ON_INPUT = 32;
/** A box this close to its cell's edge is a neighbour's face cut by the cell (or a moved face): not trusted. */
const CELL_EDGE_MARGIN = 2;
/** Focus boxes overlapping this much are one face: one cell. */
const SAME_FACE_IOU = 0.5;

/**
 * Mosaics (each a list of cells, at most one detector input's worth) covering every focus box of a
 * `width` × `height` frame. Boxes wholly outside the frame, or repeating one already covered, get no cell.
 */
export function focusMosaics(
  boxes: FaceBox[],
  width: number,
  height: number,
  input: { width: number; height: number } = { width: 320, height: 240 },
): FocusCell[][] {
  const cols = Math.floor(input.width / FOCUS_CELL),
    rows = Math.floor(input.height / FOCUS_CELL);
  const kept: FaceBox[] = [];
  for (const b of boxes) {
    const inFrame = b.x < width && b.y < height && b.x + b.width > 0 && b.y + b.height > 0;
    if (inFrame && b.width > 0 && b.height > 0 && !kept.some((k) => iou(k, b) >= SAME_FACE_IOU)) kept.push(b);
  }
  const mosaics: FocusCell[][] = [];
  kept.forEach((b, i) => {
    const slot = i % (cols * rows);
    if (slot === 0) mosaics.push([]);
    const x = (slot % cols) * FOCUS_CELL,
      y = Math.floor(slot / cols) * FOCUS_CELL;
    // Small predicted boxes (a face just found at the edge of detection) still get a sane zoom.
    const scale = FOCUS_FACE_ON_INPUT / Math.max(8, b.width, b.height);
    mosaics[mosaics.length - 1]!.push({
      x,
      y,
      size: FOCUS_CELL,
      scale,
      shiftX: x + FOCUS_CELL / 2 - (b.x + b.width / 2) * scale,
      shiftY: y + FOCUS_CELL / 2 - (b.y + b.height / 2) * scale,
    });
  });
  return mosaics;
}

/**
 * The frame box of a detection on a mosaic (input coordinates), or null when it does not lie
 * whole inside one cell (it straddles two cells or touches its cell's edge: a cut face).
 */
export function boxFromCell(cells: FocusCell[], x1: number, y1: number, x2: number, y2: number): FaceBox | null {
  const m = CELL_EDGE_MARGIN;
  const cell = cells.find((c) => x1 >= c.x + m && y1 >= c.y + m && x2 <= c.x + c.size - m && y2 <= c.y + c.size - m);
  if (!cell) return null;
  const fx = (x1 - cell.shiftX) / cell.scale,
    fy = (y1 - cell.shiftY) / cell.scale;
  return { x: fx, y: fy, width: (x2 - x1) / cell.scale, height: (y2 - y1) / cell.scale };
}

/** Default time between a camera's full scans: a face arriving in between is found at most this late. */
export const FULL_SCAN_EVERY_MS = 2_000;

/**
 * Per camera: which frames get a full scan. A frame at least `everyMs` after the last full scan gets
 * one (the first frame too); the others are scanned only around the faces the camera follows.
 */
export class ScanSchedule {
  private lastFullAt = -Infinity;
  constructor(private readonly everyMs = FULL_SCAN_EVERY_MS) {}

  /** Whether a frame at `at` is due a full scan when full scans come every `everyMs` (default: the schedule's). */
  due(at: number, everyMs = this.everyMs): boolean {
    return at - this.lastFullAt >= everyMs || at < this.lastFullAt;
  }

  /**
   * `known`: where the camera's tracks are expected in this frame. Returns the focus boxes, or undefined
   * for a full scan. `everyMs` stretches the interval for this frame (a camera idling between changes);
   * `full` asks for a full scan now (the picture changed as a whole).
   */
  next(at: number, known: FaceBox[], opts: { everyMs?: number; full?: boolean } = {}): FaceBox[] | undefined {
    if (opts.full || this.due(at, opts.everyMs)) {
      this.lastFullAt = at;
      return undefined;
    }
    return known;
  }
}
