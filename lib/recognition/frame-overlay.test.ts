import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawFaceBoxes, overlaySvg } from './frame-overlay';

const grey = () =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();

async function pixel(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('drawFaceBoxes', () => {
  it('returns a JPEG of the same size with the box outline drawn and the rest untouched', async () => {
    const src = await grey();
    const out = await drawFaceBoxes(src, [
      { box: { x: 100, y: 80, width: 60, height: 70 }, text: 'Ani', tone: 'recognized' },
    ]);
    const meta = await sharp(out).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([320, 240]);
    const [r, g, b] = await pixel(out, 130, 80); // on the top edge of the box
    expect(g).toBeGreaterThan(r! + 40);
    expect(g).toBeGreaterThan(b! + 40);
    const far = await pixel(out, 300, 220);
    for (const c of far) expect(Math.abs(c - 128)).toBeLessThan(8);
  });

  it('escapes label text, so a name cannot break the SVG', () => {
    const svg = overlaySvg(100, 100, [{ box: { x: 0, y: 0, width: 10, height: 10 }, text: '<b>&"x', tone: 'unknown' }]);
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x');
  });
});
