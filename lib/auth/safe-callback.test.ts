import { describe, expect, it } from 'vitest';
import { safeCallback } from './safe-callback';

describe('safeCallback (post-login redirect)', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeCallback('/sessions/abc?tab=live')).toBe('/sessions/abc?tab=live');
    expect(safeCallback(['/students', '/x'])).toBe('/students');
    expect(safeCallback('/reports#top')).toBe('/reports');
    expect(safeCallback('/courses/./abc/../xyz')).toBe('/courses/xyz');
    expect(safeCallback('/reports?from=2025-03-01&next=%2Fsessions')).toBe('/reports?from=2025-03-01&next=%2Fsessions');
  });

  it('refuses anything that leaves the app', () => {
    for (const evil of [
      '//evil.example',
      '/\\evil.example',
      '/%5Cevil.example',
      '/%09/evil.example',
      '/\t/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/%2F/evil.example',
      '',
      undefined,
    ]) {
      expect(safeCallback(evil), String(evil)).toBe('/');
    }
  });

  it('refuses paths that normalise into another host (dot segments, encodings, whitespace)', () => {
    for (const evil of [
      '/.//evil.example',
      '/./\\evil.example',
      '/..//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2F%2Fevil.example',
      '/%2F%2Fevil.example',
      '/%252F%252Fevil.example',
      '/%5C%5Cevil.example',
      '/\\/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/%0A/evil.example',
      '/%0d%0a/evil.example',
      '/ /evil.example'.replace(' ', '\u0000'),
      '\\\\evil.example',
      '/http://evil.example'.replace('/http:', 'http:'),
      ['/.//evil.example', '/'],
    ]) {
      expect(safeCallback(evil), JSON.stringify(evil)).toBe('/');
    }
  });
});
