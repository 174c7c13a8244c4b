import 'server-only';
import { env } from '@/lib/env';
import { FaceEngine } from './engine';
import { engineOptionsFromEnv } from './engine-config';

let engine: Promise<FaceEngine> | undefined;

/**
 * The web process's one face engine, loaded on first use (model load takes seconds and ~100 MB, so
 * never per request). A failed load is forgotten so the next request can try again.
 */
export function getWebEngine(): Promise<FaceEngine> {
  if (!engine) {
    const settings = env();
    engine = FaceEngine.load(engineOptionsFromEnv(settings));
    engine.catch(() => {
      engine = undefined;
    });
  }
  return engine;
}
