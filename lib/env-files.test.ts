import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvFiles, parseDotenv } from './env-files';

describe('parseDotenv', () => {
  it('reads the usual forms', () => {
    const text = [
      '# comment',
      'A=1',
      'export B = two ',
      'C="quoted # not a comment"',
      "D='single'",
      'E=value # trailing comment',
      'F=',
      'not a line',
      'URL=mysql://u:p@h:3306/db?x=1',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      A: '1',
      B: 'two',
      C: 'quoted # not a comment',
      D: 'single',
      E: 'value',
      F: '',
      URL: 'mysql://u:p@h:3306/db?x=1',
    });
  });
});

describe('loadEnvFiles', () => {
  it('prefers the environment, then .env.local, then .env', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'envfiles-'));
    writeFileSync(path.join(dir, '.env.local'), 'A=local\nB=local\n');
    writeFileSync(path.join(dir, '.env'), 'A=env\nB=env\nC=env\n');
    const target: Record<string, string | undefined> = { A: 'process' };
    loadEnvFiles(dir, target);
    expect(target).toEqual({ A: 'process', B: 'local', C: 'env' });
  });
});
