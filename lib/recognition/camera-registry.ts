/**
 * The cameras this worker processes: each one's frame source in the shared CameraHub, its
 * FramePipeline, and for a push camera the PushSource its frames are handed to. Cameras come from the
 * `cameras` table (plus the legacy CAMERA_URL); which of them run here is the caller's choice (the
 * camera leases), so a camera can be added and removed while the others keep running.
 */
import type { CameraHub } from '@/lib/camera/camera-hub';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import { mjpegSource } from '@/lib/camera/mjpeg-reader';
import { PushSource } from '@/lib/camera/push-source';
import { redactCredentials } from '@/lib/camera/redact';
import { snapshotSource } from '@/lib/camera/snapshot-poller';
import type { Frame, FrameSource } from '@/lib/camera/types';
import { DEFAULT_LIVENESS_MODE, type LivenessMode } from '@/lib/attendance/track-liveness';
import { ensureCameraByName, listCameras } from '@/lib/data/cameras';
import type { Logger } from '@/lib/log';
import type { FramePipeline } from './frame-pipeline';

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
  pipeline: FramePipeline;
  /** Push cameras: where pushed frames are handed in (taken while the hub's connection runs). */
  push?: PushSource;
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

/** What decides a camera's frame source: a change of any of these reconnects it. */
function sourceKey(c: Pick<CameraRow, 'mode' | 'streamUrl' | 'snapshotUrl'>): string {
  return c.mode === 'push' ? 'push' : `pull ${c.streamUrl ?? ''} ${c.streamUrl ? '' : (c.snapshotUrl ?? '')}`;
}

export interface CameraRegistryDeps {
  hub: CameraHub;
  log: Logger;
  /** The cameras table (loadCameraRows). */
  load: () => Promise<CameraRow[]>;
  /** The recognition loop of one camera reading `queue`; `livenessMode` is the camera's mode now. */
  createPipeline: (camera: CameraRow, queue: FrameQueue<Frame>, livenessMode: () => LivenessMode) => FramePipeline;
  /** A pull camera delivered a frame (the worker marks it online; a push camera's frames are marked by the web app). */
  onPullFrame?: (cameraId: string) => void;
}

export class CameraRegistry {
  private readonly entries = new Map<string, CameraEntry>();
  /** The cameras table as last loaded. */
  private rows: CameraRow[] = [];
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
    return this.liveness.get(cameraId) ?? DEFAULT_LIVENESS_MODE;
  }

  /**
   * Re-read settings of a camera that may already run: its room and liveness mode apply at once; a
   * new mode or URL swaps its frame source (the old connection is closed), keeping its pipeline.
   */
  async update(camera: CameraRow): Promise<void> {
    this.applySettings(camera);
    const entry = this.entries.get(camera.cameraId);
    if (!entry || sourceKey(entry) === sourceKey(camera)) return;
    const next = this.sourceFor(camera);
    if (!next) return;
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
    // No pushed frame is taken while the source changes; a new push source takes them once it runs.
    entry.push?.detach();
    entry.push = next.push;
    await this.deps.hub.replaceSource(camera.cameraId, next.source);
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
  private sourceFor(camera: CameraRow): { source: FrameSource; push?: PushSource } | undefined {
    const { log } = this.deps;
    if (camera.mode === 'push') {
      const push = new PushSource();
      return { source: push.source, push };
    }
    if (camera.streamUrl)
      return {
        source: this.pulled(camera.cameraId, mjpegSource(camera.streamUrl, { cameraId: camera.cameraId, logger: log })),
      };
    if (camera.snapshotUrl)
      return {
        source: this.pulled(
          camera.cameraId,
          snapshotSource(camera.snapshotUrl, { cameraId: camera.cameraId, intervalMs: 200, logger: log }),
        ),
      };
    log.warn({ camera: camera.name }, 'pull camera without stream_url or snapshot_url; skipped');
    return undefined;
  }

  /** A pull camera's source that reports each frame it delivers (`onPullFrame`). */
  private pulled(cameraId: string, source: FrameSource): FrameSource {
    const seen = this.deps.onPullFrame;
    if (!seen) return source;
    return ({ signal, onFrame }) =>
      source({
        signal,
        onFrame: (frame) => {
          seen(cameraId);
          onFrame(frame);
        },
      });
  }

  /**
   * Re-reads the cameras table: a running camera takes its new settings (a new URL or mode reconnects
   * it within one refresh; the web app only writes the row), and a camera `mayRun` (leased here) that
   * could not run before (a pull camera without a URL) starts once it can.
   */
  async reload(mayRun: (cameraId: string) => boolean): Promise<void> {
    this.rows = await this.deps.load();
    for (const c of this.rows) {
      if (this.entries.has(c.cameraId)) await this.update(c);
      else if (mayRun(c.cameraId) && (c.mode === 'push' || c.streamUrl || c.snapshotUrl)) this.add(c);
    }
  }

  /** Starts the cameras just leased here (re-reading the table first when one of them is new to it). */
  async addLeased(cameraIds: string[], mayRun: (cameraId: string) => boolean): Promise<void> {
    if (cameraIds.some((id) => !this.rows.some((r) => r.cameraId === id))) await this.reload(mayRun);
    for (const id of cameraIds) {
      const row = this.rows.find((r) => r.cameraId === id);
      if (row) this.add(row);
    }
  }

  /** Starts processing `camera` unless it already runs; false when it cannot run (no URL). */
  add(camera: CameraRow): boolean {
    this.applySettings(camera);
    if (this.entries.has(camera.cameraId)) return true;
    const { hub, log } = this.deps;
    const from = this.sourceFor(camera);
    if (!from) return false;
    hub.addCamera(camera.cameraId, from.source);
    const pipeline = this.deps.createPipeline(camera, hub.subscribe(camera.cameraId).queue, () =>
      this.livenessMode(camera.cameraId),
    );
    const controller = new AbortController();
    const done = pipeline.run(controller.signal);
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
      pipeline,
      push: from.push,
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
    entry.push?.detach();
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
