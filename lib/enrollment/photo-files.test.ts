import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { PHOTO_LIMITS, PhotoReadError, photosFromFiles, photosFromZip } from './photo-files';

const zipOf = async (
  files: Record<string, Uint8Array | string>,
  opts: JSZip.JSZipGeneratorOptions<'uint8array'> = {},
) => {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', ...opts });
};

/** jszip cleans `../` out of names it writes; a hostile archive is made by patching the bytes. */
function renameInZip(bytes: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error('same length only');
  const buf = Buffer.from(bytes);
  for (let i = buf.indexOf(from); i >= 0; i = buf.indexOf(from, i + 1)) buf.write(to, i, 'latin1');
  return buf;
}

describe('photosFromZip', () => {
  it('lists photos with their folder paths, skips junk, and notes files that are not photos', async () => {
    const set = await photosFromZip(
      await zipOf({
        'class/S1.jpg': 'a',
        'class/S1_2.PNG': 'b',
        'notes.txt': 'c',
        '__MACOSX/class/._S1.jpg': 'd',
        'class/.DS_Store': 'e',
      }),
    );
    expect(set.photos.map((p) => [p.name, p.path])).toEqual([
      ['S1.jpg', 'class/S1.jpg'],
      ['S1_2.PNG', 'class/S1_2.PNG'],
    ]);
    expect(set.ignored).toEqual([{ file: 'notes.txt', code: 'not-a-photo' }]);
    expect(Buffer.from(await set.photos[0]!.read()).toString()).toBe('a');
  });

  it('refuses an archive with a path that leaves it', async () => {
    const evil = renameInZip(await zipOf({ 'xx/evil.jpg': 'x' }), 'xx/evil', '../evil');
    await expect(photosFromZip(evil)).rejects.toThrow(
      'The photo archive was refused: "../evil.jpg" points outside the archive.',
    );
  });

  it('refuses what is not a ZIP, too many entries, and more declared content than the cap', async () => {
    await expect(photosFromZip(Buffer.from('not a zip at all'))).rejects.toThrow(
      'The photo archive is not a ZIP file that can be opened.',
    );
    const many = await zipOf(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`S${i}.jpg`, 'x'])));
    await expect(photosFromZip(many, { ...PHOTO_LIMITS, maxEntries: 5 })).rejects.toThrow(
      'The photo archive has 6 entries; at most 5 are accepted.',
    );
    const big = await zipOf({ 'S1.jpg': new Uint8Array(3_000_000), 'S2.jpg': new Uint8Array(3_000_000) });
    await expect(photosFromZip(big, { ...PHOTO_LIMITS, maxUnpackedBytes: 5_000_000 })).rejects.toThrow(
      'The photo archive unpacks to more than 5 MB; split it into smaller archives.',
    );
  });

  it('a zip bomb entry is stopped while it unpacks: too large, or damaged when it lies about its size', async () => {
    // 50 MB of zeros deflate to ~50 kB.
    const bomb = await zipOf({ 'S1.jpg': new Uint8Array(50_000_000) });
    expect(bomb.byteLength).toBeLessThan(100_000);
    const set = await photosFromZip(bomb, { ...PHOTO_LIMITS, maxUnpackedBytes: 60_000_000 });
    await expect(set.photos[0]!.read()).rejects.toThrow(new PhotoReadError('too-large', 'Larger than 10 MB.'));
    // The same entry declaring 1 kB (patched central directory and local header sizes): refused as damaged after ~1 kB.
    const lying = Buffer.from(await zipOf({ 'S1.jpg': new Uint8Array(2_000_000) }));
    for (let i = lying.indexOf('PK\x01\x02'); i >= 0; i = lying.indexOf('PK\x01\x02', i + 4))
      lying.writeUInt32LE(1000, i + 24);
    for (let i = lying.indexOf('PK\x03\x04'); i >= 0; i = lying.indexOf('PK\x03\x04', i + 4))
      lying.writeUInt32LE(1000, i + 22);
    const liar = await photosFromZip(lying);
    await expect(liar.photos[0]!.read()).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/damaged inside the ZIP/),
    });
  });
});

describe('photosFromFiles', () => {
  it('keeps photos by name (folders dropped in the browser send their path) and refuses oversized ones on read', async () => {
    const file = (name: string, size: number) => ({ name, size, arrayBuffer: async () => new ArrayBuffer(size) });
    const set = photosFromFiles([
      file('class/S2.webp', 11_000_000),
      file('class/readme.md', 3),
      file('class/S1.jpg', 3),
    ]);
    expect(set.photos.map((p) => p.name)).toEqual(['S1.jpg', 'S2.webp']);
    expect(set.ignored).toEqual([{ file: 'class/readme.md', code: 'not-a-photo' }]);
    expect((await set.photos[0]!.read()).byteLength).toBe(3);
    await expect(set.photos[1]!.read()).rejects.toMatchObject({ code: 'too-large' });
  });
});
