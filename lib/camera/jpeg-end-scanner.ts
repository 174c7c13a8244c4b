/**
 * Finds where a JPEG ends by walking its marker segments, so a stray FFD9 inside an EXIF thumbnail
 * or a length-delimited segment is not mistaken for the end. Resumable: call `scan` again with the
 * same scanner as more bytes arrive; positions are relative to the start of the JPEG (its FFD8).
 */
export type JpegScanResult = { status: 'complete'; end: number } | { status: 'incomplete' } | { status: 'invalid' };

export const SOI_0 = 0xff;
export const SOI_1 = 0xd8;

export function startsWithSoi(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === SOI_0 && buf[1] === SOI_1;
}

export function endsWithEoi(buf: Buffer): boolean {
  return buf.length >= 4 && buf[buf.length - 2] === 0xff && buf[buf.length - 1] === 0xd9;
}

export class JpegEndScanner {
  private pos = 2;
  private inEntropy = false;

  reset(): void {
    this.pos = 2;
    this.inEntropy = false;
  }

  /** `jpeg` holds the bytes received so far, starting at the SOI marker. */
  scan(jpeg: Buffer): JpegScanResult {
    const end = jpeg.length;
    if (end < 2) return { status: 'incomplete' };
    if (!startsWithSoi(jpeg)) return { status: 'invalid' };
    for (;;) {
      if (this.inEntropy) {
        const ff = jpeg.indexOf(0xff, this.pos);
        if (ff === -1) {
          this.pos = end;
          return { status: 'incomplete' };
        }
        if (ff + 1 >= end) {
          this.pos = ff;
          return { status: 'incomplete' };
        }
        const next = jpeg[ff + 1]!;
        // FF00 is a stuffed byte, FFD0-FFD7 restart markers, FFFF fill: all part of the scan data.
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          this.pos = ff + 2;
          continue;
        }
        if (next === 0xff) {
          this.pos = ff + 1;
          continue;
        }
        this.inEntropy = false;
        this.pos = ff;
      }
      if (this.pos + 1 >= end) return { status: 'incomplete' };
      if (jpeg[this.pos] !== 0xff) return { status: 'invalid' };
      const marker = jpeg[this.pos + 1]!;
      if (marker === 0xff) {
        this.pos += 1;
        continue;
      }
      if (marker === 0xd9) return { status: 'complete', end: this.pos + 2 };
      if (marker === 0xd8 || marker === 0x00) return { status: 'invalid' };
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        this.pos += 2;
        continue;
      }
      if (this.pos + 3 >= end) return { status: 'incomplete' };
      const segmentLength = jpeg.readUInt16BE(this.pos + 2);
      if (segmentLength < 2) return { status: 'invalid' };
      this.pos += 2 + segmentLength;
      if (marker === 0xda) this.inEntropy = true;
      if (this.pos >= end) return { status: 'incomplete' };
    }
  }
}
