/**
 * The last processed frame of each camera with its face boxes and what the pipeline made of each
 * face, for the cameras page. Memory only, one frame per camera, never written anywhere: it is a
 * live view, and keeping camera images would be a privacy cost with no use.
 */
import type { Box } from '@/lib/attendance/face-tracker';

export type FaceLabel = { kind: 'recognized'; studentId: string } | { kind: 'unknown' } | { kind: 'pending' };

export interface LastFrame {
  jpeg: Buffer;
  at: number;
  faces: Array<{ box: Box; label: FaceLabel }>;
}

export class LastFrames {
  private readonly frames = new Map<string, LastFrame>();

  set(cameraId: string, frame: LastFrame): void {
    this.frames.set(cameraId, frame);
  }

  get(cameraId: string): LastFrame | undefined {
    return this.frames.get(cameraId);
  }

  delete(cameraId: string): void {
    this.frames.delete(cameraId);
  }
}
