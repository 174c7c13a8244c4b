import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './log';

describe('logger', () => {
  it('never writes camera credentials, in a field or inside an error', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino(loggerOptions('info'), sink);
    log.warn(
      {
        url: 'http://admin:hunter2@10.1.2.3:81/stream',
        err: new Error('connect ECONNREFUSED http://admin:hunter2@10.1.2.3:81/stream'),
      },
      'camera connection lost',
    );
    log.info({ token: 'abc', password: 'pw' }, 'x');
    const out = lines.join('');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('http://***@10.1.2.3:81/stream');
    expect(out).not.toContain('"pw"');
  });
});
