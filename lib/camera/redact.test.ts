import { describe, expect, it } from 'vitest';
import { redactCredentials } from './redact';

describe('redactCredentials', () => {
  it('hides user:pass@ and secret query values, keeps the rest readable', () => {
    expect(redactCredentials('connection refused by http://admin:s3cret@10.0.0.5:81/stream')).toBe(
      'connection refused by http://***@10.0.0.5:81/stream',
    );
    expect(redactCredentials('rtsp://cam@h/x and https://u:p@h/y?res=vga&token=abc123&x=1')).toBe(
      'rtsp://***@h/x and https://***@h/y?res=vga&token=***&x=1',
    );
    expect(redactCredentials('http://10.0.0.5:81/stream answered HTTP 401')).toBe(
      'http://10.0.0.5:81/stream answered HTTP 401',
    );
  });
});
