/**
 * A push camera's frames: the camera posts each JPEG to the web app, the web app forwards it to the
 * worker that holds the camera, and the worker hands it to `push()`. While the camera's connection
 * runs (`source`), a pushed frame goes to it like a pulled one; otherwise it is not taken.
 */
import type { Frame, FrameSource } from './types';

export class PushSource {
  private deliver: ((frame: Frame) => void) | null = null;

  /** Whether a connection runs and takes pushed frames. */
  get connected(): boolean {
    return this.deliver !== null;
  }

  /** Hands a pushed frame to the running connection; false when none runs (the camera is stopping or reconnecting). */
  push(frame: Frame): boolean {
    if (!this.deliver) return false;
    this.deliver(frame);
    return true;
  }

  /** Takes no frame from now on, before the connection has wound down (the camera was removed or changed source). */
  detach(): void {
    this.deliver = null;
  }

  /** The connection's run: takes pushed frames until the signal aborts (a pushed stream never "ends"). */
  readonly source: FrameSource = ({ signal, onFrame }) =>
    new Promise((resolve) => {
      let frames = 0;
      const deliver = (frame: Frame) => {
        frames += 1;
        onFrame(frame);
      };
      this.deliver = deliver;
      signal.addEventListener(
        'abort',
        () => {
          if (this.deliver === deliver) this.deliver = null;
          resolve({ status: 'aborted', frames });
        },
        { once: true },
      );
    });
}
