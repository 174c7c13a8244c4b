import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { cameraIdFromLastFramePath, lastFrameUrl } from '@/lib/devices/internal-last-frame';
import type { LastFrame } from './last-frames';
import { faceLabel, renderLastFrame } from './render-last-frame';

const frame = async (): Promise<LastFrame> => ({
  jpeg: await sharp({ create: { width: 200, height: 150, channels: 3, background: '#000000' } })
    .jpeg()
    .toBuffer(),
  at: 0,
  faces: [
    { box: { x: 20, y: 40, width: 40, height: 40 }, label: { kind: 'recognized', studentId: 's-1' } },
    { box: { x: 120, y: 40, width: 40, height: 40 }, label: { kind: 'unknown' } },
  ],
});

describe('renderLastFrame', () => {
  it('asks for the names of recognised faces only, and draws a frame of the same size', async () => {
    const names = vi.fn(async (ids: string[]) => new Map(ids.map((id) => [id, 'Ani'])));
    const out = await renderLastFrame(await frame(), names);
    expect(names).toHaveBeenCalledWith(['s-1']);
    expect(await sharp(out).metadata()).toMatchObject({ format: 'jpeg', width: 200, height: 150 });
  });

  it('labels each box with who it is and the face width in pixels', () => {
    expect(faceLabel('Ani', 37.6)).toBe('Ani · 38 px');
    expect(faceLabel('unknown', 18.2)).toBe('unknown · 18 px');
  });

  it('still draws when the names cannot be read (database down)', async () => {
    const out = await renderLastFrame(await frame(), () => Promise.reject(new Error('db down')));
    expect((await sharp(out).metadata()).width).toBe(200);
  });
});

describe('internal last-frame path', () => {
  it('round-trips the camera id', () => {
    const url = new URL(lastFrameUrl('http://worker:9464/', 'a b'));
    expect(cameraIdFromLastFramePath(url.pathname)).toEqual({ cameraId: 'a b' });
    expect(cameraIdFromLastFramePath('/internal/cameras/%ZZ/last-frame')).toEqual({ malformed: true });
    expect(cameraIdFromLastFramePath('/internal/cameras/x/y/last-frame')).toBeNull();
    expect(cameraIdFromLastFramePath('/internal/frames/x')).toBeNull();
  });
});
