import { describe, expect, it } from 'vitest';
import { tfjsEmbeddersIn } from './embedder';

describe('tfjs legacy embedders (removed on LEGACY_TFJS_REMOVAL)', () => {
  it('names the tfjs embedders an engine runs, current or legacy; none with the defaults', () => {
    expect(tfjsEmbeddersIn({})).toEqual([]);
    expect(tfjsEmbeddersIn({ embedder: 'arcface', legacyEmbedders: ['arcface'] })).toEqual([]);
    expect(tfjsEmbeddersIn({ legacyEmbedders: ['fused'] })).toEqual(['fused']);
    expect(tfjsEmbeddersIn({ embedder: 'faceres', legacyEmbedders: ['fused', 'faceres'] })).toEqual([
      'faceres',
      'fused',
    ]);
  });
});
