import { ByteBuffer } from './byte-buffer';
import { JpegEndScanner, endsWithEoi, startsWithSoi } from './jpeg-end-scanner';

/**
 * Incremental multipart/x-mixed-replace parser: feed it chunks split anywhere, get whole JPEGs out.
 * Pure (no I/O, no timers). It trusts nothing: Content-Length is checked against the JPEG markers,
 * parts without one end at the JPEG's EOI or at the next boundary, and garbage is skipped until the
 * next boundary or SOI. Memory stays below roughly maxPartBytes + 64 KiB whatever the stream sends.
 */
export interface MjpegPart {
  jpeg: Buffer;
  /** Part headers, names lower-cased. */
  headers: Record<string, string>;
  /** X-Timestamp (seconds, as the ESP32 sends it) converted to milliseconds. */
  timestamp?: number;
}

export interface MjpegParserOptions {
  /** From the Content-Type header, with or without the leading "--"; null/absent: JPEG markers only. */
  boundary?: string | null;
  maxPartBytes?: number;
  maxHeaderBytes?: number;
}

export interface MjpegParserStats {
  bytesIn: number;
  parts: number;
  droppedOversize: number;
  /** Parts that were not a whole JPEG (no SOI, truncated, corrupt markers). */
  droppedInvalid: number;
  /** Parts whose Content-Length did not match the JPEG inside (the JPEG was still recovered when possible). */
  lengthMismatches: number;
  /** Bytes thrown away while looking for the next boundary, not counting line breaks. */
  skippedBytes: number;
}

export const DEFAULT_MAX_PART_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
const MAX_BOUNDARY_LINE_BYTES = 256;
const FEED_SLICE_BYTES = 64 * 1024;
const SOI_PREFIX = Buffer.from([0xff, 0xd8, 0xff]);
const EOI_PADDING_WINDOW = 64;

/** The boundary parameter of a Content-Type, without leading "--"; null when there is none. */
export function boundaryFromContentType(contentType: string): string | null {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(contentType);
  const raw = match?.[1] ?? match?.[2] ?? '';
  const boundary = raw.replace(/^--/, '');
  return boundary.length > 0 ? boundary : null;
}

export function isMultipartContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*multipart\/[a-z-]+/i.test(contentType);
}

type State = 'headers' | 'body' | 'seek' | 'boundary-line';

export class MjpegParser {
  private readonly buffer = new ByteBuffer();
  private readonly delimiter: Buffer | null;
  private readonly delimiterText: string | null;
  private readonly maxPartBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly scanner = new JpegEndScanner();
  private state: State;
  private headers: Record<string, string> = {};
  private headerBytes = 0;
  private contentLength: number | null = null;
  private scannerGaveUp = false;
  private delimiterScanFrom = 0;
  /** After dropping an oversize part, its remaining bytes must not be mistaken for a new JPEG. */
  private boundaryOnly = false;
  private readonly counters: MjpegParserStats = {
    bytesIn: 0,
    parts: 0,
    droppedOversize: 0,
    droppedInvalid: 0,
    lengthMismatches: 0,
    skippedBytes: 0,
  };

  constructor(options: MjpegParserOptions = {}) {
    const boundary = options.boundary?.replace(/^--/, '') || null;
    this.delimiterText = boundary === null ? null : `--${boundary}`;
    this.delimiter = this.delimiterText === null ? null : Buffer.from(this.delimiterText, 'latin1');
    this.maxPartBytes = options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES;
    this.maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    // Old ESP32 firmware writes the boundary after each frame, so the first part has none before it.
    this.state = this.delimiter === null ? 'seek' : 'headers';
  }

  get stats(): Readonly<MjpegParserStats> {
    return { ...this.counters };
  }

  /** Bytes held while waiting for the rest of a part; bounded by maxPartBytes + one feed slice. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): MjpegPart[] {
    const parts: MjpegPart[] = [];
    this.counters.bytesIn += chunk.length;
    for (let offset = 0; offset < chunk.length; offset += FEED_SLICE_BYTES) {
      this.buffer.append(chunk.subarray(offset, offset + FEED_SLICE_BYTES));
      while (this.step(parts)) {
        // keep stepping while the state machine makes progress
      }
    }
    return parts;
  }

  private step(out: MjpegPart[]): boolean {
    switch (this.state) {
      case 'headers':
        return this.stepHeaders();
      case 'body':
        return this.stepBody(out);
      case 'seek':
        return this.stepSeek();
      case 'boundary-line':
        return this.stepBoundaryLine();
    }
  }

  private stepHeaders(): boolean {
    const view = this.buffer.view();
    if (view.length === 0) return false;
    if (startsWithSoi(view)) {
      this.beginBody();
      return true;
    }
    if (view.length === 1 && view[0] === 0xff) return false;
    const lf = view.indexOf(0x0a);
    if (lf === -1) {
      if (view.length + this.headerBytes <= this.maxHeaderBytes) return false;
      this.toSeek();
      return true;
    }
    const line = view.toString('latin1', 0, lf).replace(/\r$/, '');
    this.buffer.consume(lf + 1);
    this.headerBytes += lf + 1;
    if (this.headerBytes > this.maxHeaderBytes) {
      this.toSeek();
      return true;
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      if (Object.keys(this.headers).length > 0) this.beginBody();
      return true;
    }
    if (this.delimiterText !== null && trimmed.startsWith('--') && trimmed.includes(this.delimiterText)) {
      this.headers = {};
      return true;
    }
    const colon = line.indexOf(':');
    if (colon > 0 && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon))) {
      this.headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      return true;
    }
    this.counters.skippedBytes += trimmed.length;
    this.toSeek();
    return true;
  }

  private beginBody(): void {
    const declared = this.headers['content-length'];
    const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : null;
    if (length !== null && length > this.maxPartBytes) {
      this.counters.droppedOversize += 1;
      this.toSeek(true);
      return;
    }
    this.contentLength = length !== null && length > 0 ? length : null;
    this.scanner.reset();
    this.scannerGaveUp = false;
    this.delimiterScanFrom = 0;
    this.state = 'body';
  }

  private stepBody(out: MjpegPart[]): boolean {
    const view = this.buffer.view();
    if (view.length < 2) return false;
    if (!startsWithSoi(view)) {
      this.counters.droppedInvalid += 1;
      this.toSeek();
      return true;
    }
    if (this.contentLength !== null) {
      if (view.length < this.contentLength) return false;
      const end = eoiEnd(view.subarray(0, this.contentLength));
      if (end !== -1) {
        this.emit(out, view.subarray(0, end));
        this.buffer.consume(this.contentLength);
        this.toSeek();
        return true;
      }
      // The length lied: find the end of this JPEG from its markers and the next boundary instead.
      this.counters.lengthMismatches += 1;
      this.contentLength = null;
      return true;
    }
    return this.stepBodyWithoutLength(out, view);
  }

  private stepBodyWithoutLength(out: MjpegPart[], view: Buffer): boolean {
    let scanEnd = -1;
    if (!this.scannerGaveUp) {
      const result = this.scanner.scan(view);
      if (result.status === 'complete') scanEnd = result.end;
      if (result.status === 'invalid') this.scannerGaveUp = true;
    }
    const delimiterAt = this.delimiter === null ? -1 : view.indexOf(this.delimiter, this.delimiterScanFrom);
    if (scanEnd !== -1 && (delimiterAt === -1 || scanEnd <= delimiterAt)) {
      this.emit(out, view.subarray(0, scanEnd));
      this.buffer.consume(scanEnd);
      this.toSeek();
      return true;
    }
    if (delimiterAt !== -1) {
      const end = eoiEnd(view.subarray(0, delimiterAt));
      if (end !== -1) this.emit(out, view.subarray(0, end));
      else this.counters.droppedInvalid += 1;
      this.buffer.consume(delimiterAt);
      this.toSeek();
      return true;
    }
    if (this.scannerGaveUp && this.delimiter === null) {
      this.counters.droppedInvalid += 1;
      this.skip(2);
      this.toSeek();
      return true;
    }
    if (view.length > this.maxPartBytes) {
      this.counters.droppedOversize += 1;
      this.skip(view.length);
      this.toSeek(true);
      return true;
    }
    if (this.delimiter !== null) this.delimiterScanFrom = Math.max(0, view.length - this.delimiter.length + 1);
    return false;
  }

  private stepSeek(): boolean {
    const view = this.buffer.view();
    if (view.length === 0) return false;
    const delimiterAt = this.delimiter === null ? -1 : view.indexOf(this.delimiter);
    const soiAt = this.boundaryOnly ? -1 : view.indexOf(SOI_PREFIX);
    if (delimiterAt !== -1 && (soiAt === -1 || delimiterAt < soiAt)) {
      this.skip(delimiterAt);
      this.buffer.consume(this.delimiter!.length);
      this.boundaryOnly = false;
      this.state = 'boundary-line';
      return true;
    }
    if (soiAt !== -1) {
      // No boundary before the next JPEG: take the JPEG by its markers (headerless or boundaryless streams).
      this.skip(soiAt);
      this.headers = {};
      this.beginBody();
      return true;
    }
    const keep = Math.max(this.delimiter?.length ?? 0, SOI_PREFIX.length) - 1;
    if (view.length > keep) this.skip(view.length - keep);
    return false;
  }

  private stepBoundaryLine(): boolean {
    const view = this.buffer.view();
    const lf = view.indexOf(0x0a);
    if (lf === -1) {
      if (view.length <= MAX_BOUNDARY_LINE_BYTES) return false;
      this.toSeek();
      return true;
    }
    this.buffer.consume(lf + 1);
    this.headers = {};
    this.headerBytes = 0;
    this.state = 'headers';
    return true;
  }

  private toSeek(boundaryOnly = false): void {
    this.state = 'seek';
    this.boundaryOnly = boundaryOnly && this.delimiter !== null;
    this.headers = {};
    this.headerBytes = 0;
    this.contentLength = null;
  }

  private skip(n: number): void {
    const skipped = this.buffer.view().subarray(0, n);
    let lineBreaks = 0;
    for (const byte of skipped) if (byte === 0x0d || byte === 0x0a) lineBreaks += 1;
    this.counters.skippedBytes += n - lineBreaks;
    this.buffer.consume(n);
  }

  private emit(out: MjpegPart[], jpeg: Buffer): void {
    this.counters.parts += 1;
    const part: MjpegPart = { jpeg: Buffer.from(jpeg), headers: this.headers };
    const stamp = this.headers['x-timestamp'];
    if (stamp !== undefined && stamp !== '') {
      const seconds = Number(stamp);
      if (Number.isFinite(seconds)) part.timestamp = seconds * 1000;
    }
    out.push(part);
  }
}

/**
 * Where the JPEG in `part` ends: its length when it ends with FFD9, or just past an FFD9 that is
 * followed only by padding (CR, LF, NUL, space, '-'), which some encoders and servers append; -1 otherwise.
 */
function eoiEnd(part: Buffer): number {
  if (endsWithEoi(part)) return part.length;
  const from = Math.max(2, part.length - EOI_PADDING_WINDOW);
  const eoi = part.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (eoi < from) return -1;
  for (let i = eoi + 2; i < part.length; i++) {
    const byte = part[i];
    if (byte !== 0x0d && byte !== 0x0a && byte !== 0x00 && byte !== 0x20 && byte !== 0x2d) return -1;
  }
  return eoi + 2;
}
