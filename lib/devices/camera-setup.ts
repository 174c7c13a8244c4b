/**
 * What a camera needs to work, said plainly: a pull camera needs an http(s) address the worker can
 * read; a push camera needs the firmware's config.h lines; and a test frame's faces must be wide
 * enough to recognise (README, "Camera placement"). Pure, so the routes and the CLI say the same.
 */
import type { Camera } from '@/db/schema';
import { redactCredentials } from '@/lib/camera/redact';
import { AppError } from '@/lib/errors';
import { messagesFor } from '@/lib/i18n/dictionary';

/** About this wide a face is recognised reliably (README "Camera placement": 93.9 % of lfw-dev probes at 40 px). */
export const RELIABLE_FACE_PX = 40;

const isHttpUrl = (value: string) => {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

export interface CameraSource {
  mode: Camera['mode'];
  streamUrl?: string | null;
  snapshotUrl?: string | null;
}

/** 400 in plain words unless a pull camera has an http(s) stream or snapshot URL (and every given URL is one). */
export function assertCameraSource(c: CameraSource): void {
  for (const [field, label, url] of [
    ['streamUrl', 'stream URL', c.streamUrl],
    ['snapshotUrl', 'snapshot URL', c.snapshotUrl],
  ] as const) {
    if (url && !isHttpUrl(url)) {
      const message = `The ${label} must be an http:// or https:// address such as http://192.168.1.50:81/stream; "${redactCredentials(url)}" is not (the worker reads MJPEG or JPEG over HTTP)`;
      throw new AppError('VALIDATION', message, { fields: { [field]: message } });
    }
  }
  if (c.mode === 'pull' && !c.streamUrl && !c.snapshotUrl) {
    const message =
      'A pull camera needs the http:// or https:// address the worker reads it from: its MJPEG stream (an ESP32-CAM: http://<ip>:81/stream) or a snapshot URL (http://<ip>/capture). A camera that sends its own frames is a push camera.';
    throw new AppError('VALIDATION', message, { fields: { streamUrl: message } });
  }
}

const cString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The lines to put in firmware/esp32-cam/config.h for a push camera (macro names as in config.example.h). */
export function firmwareConfigLines(opts: { serverUrl: string; deviceId: string; token: string }): string {
  return [
    `#define MODE "push"`,
    `#define SERVER_URL ${cString(opts.serverUrl.replace(/\/+$/, ''))}`,
    `#define DEVICE_ID ${cString(opts.deviceId)}`,
    `#define DEVICE_TOKEN ${cString(opts.token)}`,
  ].join('\n');
}

export type FaceSizeVerdict = 'none' | 'ok' | 'mixed' | 'small';

export interface FaceSizeReport {
  verdict: FaceSizeVerdict;
  faces: number;
  minWidth: number | null;
  maxWidth: number | null;
  /** Faces narrower than RELIABLE_FACE_PX. */
  belowReliable: number;
  minFaceSize: number;
  reliablePx: number;
}

/** Whether the faces in a test frame are big enough to recognise. */
export function faceSizeReport(widths: number[], minFaceSize: number): FaceSizeReport {
  const w = widths.map((x) => Math.round(x));
  const below = w.filter((x) => x < RELIABLE_FACE_PX).length;
  const verdict: FaceSizeVerdict =
    w.length === 0 ? 'none' : below === 0 ? 'ok' : below === w.length ? 'small' : 'mixed';
  return {
    verdict,
    faces: w.length,
    minWidth: w.length ? Math.min(...w) : null,
    maxWidth: w.length ? Math.max(...w) : null,
    belowReliable: below,
    minFaceSize,
    reliablePx: RELIABLE_FACE_PX,
  };
}

/** The values of the dictionary's `cameras.faces.<verdict>` sentence. */
export function faceSizeValues(r: FaceSizeReport): Record<string, string | number> {
  const range = r.minWidth === r.maxWidth ? `${r.maxWidth} px` : `${r.minWidth}–${r.maxWidth} px`;
  return { n: r.faces, range, below: r.belowReliable, min: r.minFaceSize, reliable: r.reliablePx };
}

/** The report in English (API clients, logs); the dashboard shows the same sentence in its language. */
export function faceSizeSentence(r: FaceSizeReport): string {
  const values = faceSizeValues(r);
  return messagesFor('en')[`cameras.faces.${r.verdict}`].replace(/\{(\w+)\}/g, (_, k: string) =>
    String(values[k] ?? ''),
  );
}
