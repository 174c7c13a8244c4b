import { describe, expect, it } from 'vitest';
import { assertCameraSource, faceSizeReport, faceSizeSentence, firmwareConfigLines } from './camera-setup';

describe('assertCameraSource', () => {
  it.each([
    [{ mode: 'pull' }, /A pull camera needs the http:\/\/ or https:\/\/ address/],
    [
      { mode: 'pull', streamUrl: 'rtsp://admin:secret@10.0.0.5/live' },
      /The stream URL must be an http:\/\/ or https:\/\/ address .* "rtsp:\/\/\*\*\*@10\.0\.0\.5\/live" is not/,
    ],
    [{ mode: 'pull', streamUrl: 'not a url' }, /stream URL must be an http/],
    [{ mode: 'push', snapshotUrl: 'ftp://x/capture' }, /snapshot URL must be an http/],
  ] as const)('%o → 400', (source, message) => {
    expect(() => assertCameraSource(source)).toThrow(message);
    try {
      assertCameraSource(source);
    } catch (err) {
      expect((err as { code: string; message: string }).code).toBe('VALIDATION');
      expect((err as Error).message).not.toContain('secret');
      // The sentence is also the field's error, shown next to the URL input.
      const fields = (err as { fields?: Record<string, unknown> }).fields ?? {};
      expect(Object.keys(fields)).toEqual(['snapshotUrl' in source ? 'snapshotUrl' : 'streamUrl']);
    }
  });
  it.each([
    [{ mode: 'pull', streamUrl: 'http://10.0.0.5:81/stream' }],
    [{ mode: 'pull', snapshotUrl: 'https://cam.example/capture' }],
    [{ mode: 'push' }],
  ] as const)('%o is fine', (source) => {
    expect(() => assertCameraSource(source)).not.toThrow();
  });
});

it('firmwareConfigLines: the macros of config.example.h, as C strings', () => {
  expect(
    firmwareConfigLines({ serverUrl: 'https://attend.example.edu/', deviceId: 'c0ffee-1', token: 'cam_abc"d' }),
  ).toBe(
    [
      '#define MODE "push"',
      '#define SERVER_URL "https://attend.example.edu"',
      '#define DEVICE_ID "c0ffee-1"',
      '#define DEVICE_TOKEN "cam_abc\\"d"',
    ].join('\n'),
  );
});

describe('faceSizeReport', () => {
  it.each([
    [[], 'none', /No face found .* from 20 px wide \(CAMERA_MIN_FACE_SIZE\)/],
    [[52.4, 71], 'ok', /^2 face\(s\), 52–71 px wide: big enough/],
    [[24, 61], 'mixed', /1 under 40 px will be recognised less reliably/],
    [[24, 31], 'small', /too small for reliable recognition/],
  ] as const)('%o → %s', (widths, verdict, sentence) => {
    const r = faceSizeReport([...widths], 20);
    expect(r.verdict).toBe(verdict);
    expect(faceSizeSentence(r)).toMatch(sentence);
  });
});
