import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from './local-disk-storage';
import { InvalidStorageKeyError, keySegments } from './types';

let root: string;
let storage: LocalDiskStorage;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'storage-'));
  storage = new LocalDiskStorage(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('keySegments', () => {
  it.each(['', '/etc/passwd', 'C:/x', 'a/../b', '../x', 'a/./b', 'a//b', 'a/', 'a\\b', 'a\0b'])('rejects %j', (key) => {
    expect(() => keySegments(key)).toThrow(InvalidStorageKeyError);
  });

  it('splits a normal key', () => {
    expect(keySegments('photos/s1/p1.jpg')).toEqual(['photos', 's1', 'p1.jpg']);
  });
});

describe('LocalDiskStorage', () => {
  it('puts, gets, checks and deletes an object', async () => {
    await storage.put('photos/s1/p1.jpg', Buffer.from('abc'), 'image/jpeg');
    expect(await storage.exists('photos/s1/p1.jpg')).toBe(true);
    expect((await storage.get('photos/s1/p1.jpg'))?.toString()).toBe('abc');
    await storage.delete('photos/s1/p1.jpg');
    expect(await storage.exists('photos/s1/p1.jpg')).toBe(false);
    expect(await storage.get('photos/s1/p1.jpg')).toBeNull();
  });

  it('deleting or reading a missing key is not an error', async () => {
    await expect(storage.delete('nope/x.jpg')).resolves.toBeUndefined();
    expect(await storage.get('nope/x.jpg')).toBeNull();
    expect(await storage.exists('nope')).toBe(false);
  });

  it('replaces an object atomically and leaves no temporary files', async () => {
    await storage.put('a/b.bin', Buffer.alloc(10, 1), 'application/octet-stream');
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => storage.put('a/b.bin', Buffer.alloc(1000, i), 'application/octet-stream')),
    );
    const bytes = await storage.get('a/b.bin');
    expect(bytes?.length).toBe(1000);
    expect(new Set(bytes)).toHaveProperty('size', 1); // one whole write, never a mix
    expect(await readdir(path.join(root, 'a'))).toEqual(['b.bin']);
  });

  it('never writes outside the root', async () => {
    await expect(storage.put('../escape.txt', Buffer.from('x'), 'text/plain')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.get('/etc/passwd')).rejects.toThrow(InvalidStorageKeyError);
    expect(await readdir(path.dirname(root))).not.toContain('escape.txt');
  });

  it('lists keys under a prefix, sorted, without temporary files', async () => {
    await storage.put('photos/s1/b.jpg', Buffer.from('1'), 'image/jpeg');
    await storage.put('photos/s1/a.jpg', Buffer.from('2'), 'image/jpeg');
    await storage.put('photos/s2/c.jpg', Buffer.from('3'), 'image/jpeg');
    await storage.put('unknown/x.jpg', Buffer.from('4'), 'image/jpeg');
    await writeFile(path.join(root, 'photos/s1/d.jpg.tmp-123'), 'partial');
    expect(await storage.list('photos/s1/')).toEqual(['photos/s1/a.jpg', 'photos/s1/b.jpg']);
    expect(await storage.list('photos/')).toEqual(['photos/s1/a.jpg', 'photos/s1/b.jpg', 'photos/s2/c.jpg']);
    expect(await storage.list('photos/s')).toHaveLength(3);
    expect(await storage.list('')).toHaveLength(4);
    expect(await storage.list('missing/')).toEqual([]);
  });
});
