import { describe, expect, it } from 'vitest';
import { currentEngineIdentity, deepEmbedderIdentity, engineKey, parseEngineKey, sameEngine } from './engine-identity';

describe('engine identity', () => {
  it('names the fused engine as the templates already stored name it', () => {
    expect(deepEmbedderIdentity('fused')).toMatchObject({
      model: 'fused-mobileface-faceres',
      version: '2-mobileface@0.5+faceres@0.5',
    });
    expect(deepEmbedderIdentity('faceres')).toMatchObject({ model: 'faceres', version: '2-faceres@1' });
    expect(currentEngineIdentity('keypoints')).toEqual({ model: 'keypoints-akaze', version: 'opencv-4.5.2-1' });
  });

  it('round-trips model and version through the unknown_faces.model column', () => {
    const id = currentEngineIdentity('embedding');
    expect(engineKey(id).length).toBeLessThanOrEqual(64);
    expect(parseEngineKey(engineKey(id))).toEqual(id);
    expect(sameEngine(parseEngineKey(engineKey(id)), id)).toBe(true);
  });

  it('treats rows without a version (written before it was stored) as another engine', () => {
    expect(parseEngineKey('fused-mobileface-faceres')).toBeNull();
    expect(parseEngineKey(null)).toBeNull();
    expect(sameEngine(null, currentEngineIdentity('embedding'))).toBe(false);
  });
});
