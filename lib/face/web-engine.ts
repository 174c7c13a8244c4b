import 'server-only';
import { env } from '@/lib/env';
import { FaceEngine } from './engine';

let engine: Promise<FaceEngine> | undefined;

/**
 * The web process's one face engine, loaded on first use (model load takes seconds and ~100 MB, so
 * never per request). A failed load is forgotten so the next request can try again.
 */
export function getWebEngine(): Promise<FaceEngine> {
  if (!engine) {
    const settings = env();
    engine = FaceEngine.load({ matcher: settings.MATCHER, threshold: settings.MATCH_THRESHOLD, minMatchCount: settings.MIN_MATCH_COUNT });
    engine.catch(() => {
      engine = undefined;
    });
  }
  return engine;
}
