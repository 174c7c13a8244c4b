import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ObjectStorage } from '@/lib/storage';
import type { UnknownTrack } from './frame-pipeline';
import { UnknownFaceStore } from './unknown-face-store';

function memoryStorage(): ObjectStorage & { keys: () => string[] } {
  const files = new Map<string, Buffer>();
  return {
    keys: () => [...files.keys()].sort(),
    put: async (key, bytes) => void files.set(key, Buffer.from(bytes)),
    get: async (key) => files.get(key) ?? null,
    delete: async (key) => void files.delete(key),
    exists: async (key) => files.has(key),
    list: async (prefix) => [...files.keys()].filter((k) => k.startsWith(prefix)).sort(),
  };
}

const track = async (seenAt: Date): Promise<UnknownTrack> => ({
  cameraId: 'cam',
  sessionId: 's1',
  jpeg: await sharp({ create: { width: 120, height: 90, channels: 3, background: '#777' } })
    .jpeg()
    .toBuffer(),
  box: { x: 30, y: 20, width: 40, height: 48 },
  template: { model: 'm', version: '1', data: new Uint8Array(8) },
  seenAt,
});

describe('UnknownFaceStore', () => {
  it('deletes the crop when its row cannot be inserted (no file outlives its row)', async () => {
    const storage = memoryStorage();
    const store = new UnknownFaceStore({
      storage: () => storage,
      insert: () => Promise.reject(new Error('db down')),
      purgeBefore: async () => [],
    });
    await expect(store.save(await track(new Date('2026-12-01T09:00:00Z')))).rejects.toThrow('db down');
    expect(storage.keys()).toEqual([]);
  });

  it('the purge also sweeps crops of days older than the retention that have no row', async () => {
    const storage = memoryStorage();
    await storage.put('unknown-faces/2026-10-01/cam/orphan.jpg', Buffer.from('x'), 'image/jpeg');
    await storage.put('unknown-faces/2026-11-30/cam/recent.jpg', Buffer.from('x'), 'image/jpeg');
    await storage.put('photos/s1/keep.jpg', Buffer.from('x'), 'image/jpeg');
    const store = new UnknownFaceStore({
      storage: () => storage,
      insert: async () => 'id',
      purgeBefore: async () => [],
    });
    expect(await store.purge(30, new Date('2026-12-02T12:00:00Z'))).toBe(1);
    expect(storage.keys()).toEqual(['photos/s1/keep.jpg', 'unknown-faces/2026-11-30/cam/recent.jpg']);
  });
});
