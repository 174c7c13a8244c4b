import { describe, expect, it } from 'vitest';
import { makeSyntheticJpegs, withEmbeddedThumbnail } from '../../test/fixtures/camera/jpegs';
import { JpegEndScanner } from './jpeg-end-scanner';

const segment = (marker: number, payload: number[]) => [0xff, marker, 0, payload.length + 2, ...payload];

describe('JpegEndScanner', () => {
  it('walks segments and scan data: stuffed bytes, restart markers and fill bytes are not the end', () => {
    const jpeg = Buffer.from([
      0xff,
      0xd8,
      ...segment(0xe0, [0xff, 0xd9, 0x00]), // an FFD9 inside a length-delimited segment
      ...segment(0xda, [1, 2, 3]),
      0x12,
      0xff,
      0x00,
      0x34,
      0xff,
      0xd3,
      0x56,
      0xff,
      0xff,
      0xd9,
    ]);
    expect(new JpegEndScanner().scan(jpeg)).toEqual({ status: 'complete', end: jpeg.length });
    expect(new JpegEndScanner().scan(Buffer.concat([jpeg, Buffer.from('trailing')]))).toEqual({
      status: 'complete',
      end: jpeg.length,
    });
  });

  it('resumes across calls as bytes arrive, one at a time', async () => {
    const [plain, thumb] = (await makeSyntheticJpegs(2, 48, 32)) as [Buffer, Buffer];
    const jpeg = withEmbeddedThumbnail(plain, thumb);
    const scanner = new JpegEndScanner();
    let result = scanner.scan(jpeg.subarray(0, 1));
    for (let end = 2; end <= jpeg.length && result.status === 'incomplete'; end++)
      result = scanner.scan(jpeg.subarray(0, end));
    expect(result).toEqual({ status: 'complete', end: jpeg.length });
  });

  it('says invalid for data that is not a JPEG or has broken marker structure', () => {
    expect(new JpegEndScanner().scan(Buffer.from('hello'))).toEqual({ status: 'invalid' });
    expect(new JpegEndScanner().scan(Buffer.from([0xff, 0xd8, 0x12, 0x34]))).toEqual({ status: 'invalid' });
    expect(new JpegEndScanner().scan(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01]))).toEqual({ status: 'invalid' });
    expect(new JpegEndScanner().scan(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toEqual({
      status: 'incomplete',
    });
  });
});
