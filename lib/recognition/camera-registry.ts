/**
 * The cameras this worker processes: each one's frame source in the shared CameraHub, its
 * CameraProcessor, and the slot a push camera's frames are handed to. Cameras come from the
 * `cameras` table (plus the legacy CAMERA_URL); which of them run here is the caller's choice (the
 * camera leases), so a camera can be added and removed while the others keep running.
 */
import type { CameraHub } from '@/lib/camera/camera-hub';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import { mjpegSource } from '@/lib/camera/mjpeg-reader';
import { redactCredentials } from '@/lib/camera/redact';
import { snapshotSource } from '@/lib/camera/snapshot-poller';
import type { Frame, FrameSource } from '@/lib/camera/types';
import type { LivenessMode } from '@/lib/attendance/track-liveness';
import { ensureCameraByName, listCameras } from '@/lib/data/cameras';
import type { Logger } from '@/lib/log';
import type { CameraProcessor } from './camera-processor';

export interface CameraRow {
  cameraId: string;
  name: string;
  room: string | null;
  mode: 'pull' | 'push';
  streamUrl: string | null;
  snapshotUrl: string | null;
  liveness: LivenessMode;
}

export interface CameraEntry {
  cameraId: string;
  name: string;
  room: string | null;
  mode: 'pull' | 'push';
  /** The source it reads now (a pull camera's URLs); a change is applied by update(). */
  streamUrl: string | null;
  snapshotUrl: string | null;
  processor: CameraProcessor;
  recorded: number;
  /** Push cameras: where pushed frames go (set while the hub's connection runs). */
  pushTarget: { push?: (frame: Frame) => void };
  /** Stops this camera's processing; resolves once its last frame is applied. */
  stop: () => Promise<void>;
}

/** The cameras table, plus the old deployment's single CAMERA_URL as a camera named `default`. */
export async function loadCameraRows(cameraUrl: string | undefined): Promise<CameraRow[]> {
  const rows: CameraRow[] = await listCameras();
  if (cameraUrl && !rows.some((c) => c.streamUrl === cameraUrl)) {
    rows.push(
      (await ensureCameraByName({ name: 'default', room: null, mode: 'pull', streamUrl: cameraUrl, snapshotUrl: null }))
        .camera,
    );
  }
  return rows;
}

/** A source for a push camera: frames arrive through `target.push`, the run ends only on abort. */
export function pushSource(target: { push?: (frame: Frame) => void }): FrameSource {
  return ({ signal, onFrame }) =>
    new Promise((resolve) => {
      let frames = 0;
      target.push = (frame) => {
        frames += 1;
        onFrame(frame);
      };
      signal.addEventListener('abort', () => resolve({ status: 'aborted', frames }), { once: true });
    });
}

/** What decides a camera's frame source: a change of any of these reconnects it. */
function sourceKey(c: Pick<CameraRow, 'mode' | 'streamUrl' | 'snapshotUrl'>): string {
  return c.mode === 'push' ? 'push' : `pull ${c.streamUrl ?? ''} ${c.streamUrl ? '' : (c.snapshotUrl ?? '')}`;
}

export interface CameraRegistryDeps {
  hub: CameraHub;
  log: Logger;
  /** The recognition loop of one camera reading `queue`. */
  createProcessor: (camera: CameraRow, queue: FrameQueue<Frame>) => CameraProcessor;
}

export class CameraRegistry {
  private readonly entries = new Map<string, CameraEntry>();
  private readonly liveness = new Map<string, LivenessMode>();
  /** Cameras removed whose processing has not finished yet. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly deps: CameraRegistryDeps) {}

  get(cameraId: string): CameraEntry | undefined {
    return this.entries.get(cameraId);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** The running cameras with their rooms (a camera feeds its room's sessions). */
  places(): Array<{ cameraId: string; room: string | null }> {
    return this.all().map((e) => ({ cameraId: e.cameraId, room: e.room }));
  }

  all(): CameraEntry[] {
    return [...this.entries.values()];
  }

  /** The camera's liveness mode as last read from its row (an admin may change it while it runs). */
  livenessMode(cameraId: string): LivenessMode {
    return this.liveness.get(cameraId) ?? 'flag';
  }

  /**
   * Re-read settings of a camera that may already run: its room and liveness mode apply at once; a
   * new mode or URL swaps its frame source (the old connection is closed), keeping its processor.
   */
  async update(camera: CameraRow): Promise<void> {
    this.applySettings(camera);
    const entry = this.entries.get(camera.cameraId);
    if (!entry || sourceKey(entry) === sourceKey(camera)) return;
    const source = this.sourceFor(camera, entry.pushTarget);
    if (!source) return;
    this.deps.log.info(
      {
        camera: camera.name,
        from: { mode: entry.mode, url: redactCredentials(entry.streamUrl ?? entry.snapshotUrl ?? '') || null },
        to: { mode: camera.mode, url: redactCredentials(camera.streamUrl ?? camera.snapshotUrl ?? '') || null },
      },
      'camera source changed; reconnecting',
    );
    entry.mode = camera.mode;
    entry.streamUrl = camera.streamUrl;
    entry.snapshotUrl = camera.snapshotUrl;
    // No pushed frame is taken while the source changes; a push source sets it again when it runs.
    entry.pushTarget.push = undefined;
    await this.deps.hub.replaceSource(camera.cameraId, source);
  }

  private applySettings(camera: CameraRow): void {
    const entry = this.entries.get(camera.cameraId);
    if (entry) entry.name = camera.name;
    if (entry && entry.room !== camera.room) {
      this.deps.log.info({ camera: camera.name, from: entry.room, to: camera.room }, 'camera moved to another room');
      entry.room = camera.room;
    }
    const before = this.liveness.get(camera.cameraId);
    if (before !== undefined && before !== camera.liveness)
      this.deps.log.info({ camera: camera.name, from: before, to: camera.liveness }, 'camera liveness mode changed');
    this.liveness.set(camera.cameraId, camera.liveness);
  }

  /** Where the camera's frames come from; undefined (and a warning) for a pull camera without a URL. */
  private sourceFor(camera: CameraRow, pushTarget: { push?: (frame: Frame) => void }): FrameSource | undefined {
    const { log } = this.deps;
    if (camera.mode === 'push') return pushSource(pushTarget);
    if (camera.streamUrl) return mjpegSource(camera.streamUrl, { cameraId: camera.cameraId, logger: log });
    if (camera.snapshotUrl)
      return snapshotSource(camera.snapshotUrl, { cameraId: camera.cameraId, intervalMs: 200, logger: log });
    log.warn({ camera: camera.name }, 'pull camera without stream_url or snapshot_url; skipped');
    return undefined;
  }

  /** Starts processing `camera` unless it already runs; false when it cannot run (no URL). */
  add(camera: CameraRow): boolean {
    this.applySettings(camera);
    if (this.entries.has(camera.cameraId)) return true;
    const { hub, log } = this.deps;
    const pushTarget: { push?: (frame: Frame) => void } = {};
    const source = this.sourceFor(camera, pushTarget);
    if (!source) return false;
    hub.addCamera(camera.cameraId, source);
    const processor = this.deps.createProcessor(camera, hub.subscribe(camera.cameraId).queue);
    const controller = new AbortController();
    const done = processor.run(controller.signal);
    const stop = async () => {
      controller.abort();
      await hub.removeCamera(camera.cameraId);
      await done;
    };
    this.entries.set(camera.cameraId, {
      cameraId: camera.cameraId,
      name: camera.name,
      room: camera.room,
      mode: camera.mode,
      streamUrl: camera.streamUrl,
      snapshotUrl: camera.snapshotUrl,
      processor,
      recorded: 0,
      pushTarget,
      stop,
    });
    log.info({ camera: camera.name, mode: camera.mode, liveness: camera.liveness }, 'camera added');
    return true;
  }

  /** Stops processing the camera at once (no frame is taken after this is called); resolves when it has stopped. */
  async remove(cameraId: string): Promise<void> {
    const entry = this.entries.get(cameraId);
    if (!entry) return;
    this.entries.delete(cameraId);
    entry.pushTarget.push = undefined;
    const stopped = entry.stop();
    this.stopping.add(stopped);
    try {
      await stopped;
    } finally {
      this.stopping.delete(stopped);
    }
    this.deps.log.info({ camera: entry.name }, 'camera stopped');
  }

  /** Stops every camera; resolves once all have stopped, also those another caller is already stopping. */
  async removeAll(): Promise<void> {
    await Promise.all([...this.ids().map((id) => this.remove(id)), ...this.stopping]);
  }
}
