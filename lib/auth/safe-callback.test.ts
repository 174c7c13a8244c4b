import { describe, expect, it } from 'vitest';
import { safeCallback } from './safe-callback';

describe('safeCallback (post-login redirect)', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeCallback('/sessions/abc?tab=live')).toBe('/sessions/abc?tab=live');
    expect(safeCallback(['/students', '/x'])).toBe('/students');
    expect(safeCallback('/reports#top')).toBe('/reports');
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
});
