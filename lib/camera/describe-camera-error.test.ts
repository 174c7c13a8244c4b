import { describe, expect, it } from 'vitest';
import { describeCameraError } from './describe-camera-error';

describe('describeCameraError', () => {
  it.each([
    ['connection refused by http://admin:***@10.0.0.5:81/stream', 'refused'],
    ['no response from http://10.0.0.5:81/stream within 5000 ms', 'timeout'],
    ['http://cam.local:81/stream: getaddrinfo ENOTFOUND cam.local', 'dns'],
    ['http://10.9.9.9/stream: connect EHOSTUNREACH 10.9.9.9:80', 'unreachable'],
    ['http://10.0.0.5/stream answered HTTP 401 Unauthorized', 'auth'],
    ['http://10.0.0.5/nope answered HTTP 404 Not Found', 'not-found'],
    ['http://10.0.0.5/stream answered HTTP 500 Internal Server Error', 'http'],
    ['http://10.0.0.5/ sent Content-Type text/html, not multipart/x-mixed-replace', 'not-mjpeg'],
    ['no frame for 10000 ms', 'stalled'],
    ['stream ended', 'ended'],
    ['http://10.0.0.5/stream: read ECONNRESET', 'reset'],
    ['unsupported protocol rtsp: in rtsp://10.0.0.5/live', 'bad-url'],
    ['the model exploded', 'other'],
  ])('%s → %s', (raw, kind) => {
    expect(describeCameraError(raw).kind).toBe(kind);
  });

  it('strips credentials from the detail and names the HTTP status', () => {
    const words = describeCameraError(
      'http://admin:secret@10.0.0.5/stream?token=abc answered HTTP 503 Service Unavailable',
    );
    expect(words.detail).toBe('http://***@10.0.0.5/stream?token=*** answered HTTP 503 Service Unavailable');
    expect(words.message).toMatch(/HTTP error\. \(HTTP 503\)$/);
    expect(JSON.stringify(words)).not.toContain('secret');
  });

  it('a transport failure code wins over the text', () => {
    expect(describeCameraError('whatever', 'connection-refused').kind).toBe('refused');
  });
});
