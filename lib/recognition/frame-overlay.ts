/**
 * Draws face boxes and their labels onto a JPEG: an SVG overlay the size of the frame, composited by
 * sharp (libvips renders the SVG), so no canvas library is needed.
 */
import sharp from 'sharp';
import type { Box } from '@/lib/attendance/face-tracker';

export interface OverlayFace {
  box: Box;
  text: string;
  /** recognized = green, unknown = red, pending (still voting) = amber. */
  tone: 'recognized' | 'unknown' | 'pending';
}

const COLORS = { recognized: '#16a34a', unknown: '#dc2626', pending: '#d97706' } as const;

function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

export function overlaySvg(width: number, height: number, faces: OverlayFace[]): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
  const font = Math.max(12, Math.round(height / 30));
  const parts = faces.map(({ box, text, tone }) => {
    const color = COLORS[tone];
    const x = Math.round(box.x);
    const y = Math.round(box.y);
    // The label sits above the box, or inside it when the box touches the top edge.
    const labelY = y - font - 4 >= 0 ? y - font - 4 : y;
    const labelW = Math.round(text.length * font * 0.65) + 10;
    return [
      `<rect x="${x}" y="${y}" width="${Math.round(box.width)}" height="${Math.round(box.height)}" fill="none" stroke="${color}" stroke-width="${stroke}"/>`,
      `<rect x="${x}" y="${labelY}" width="${labelW}" height="${font + 4}" fill="${color}"/>`,
      `<text x="${x + 4}" y="${labelY + font}" font-family="sans-serif" font-size="${font}" fill="#ffffff">${escapeXml(text)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** The frame with boxes and labels drawn, as a JPEG of the same size. */
export async function drawFaceBoxes(jpeg: Buffer, faces: OverlayFace[]): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  if (faces.length === 0) return sharp(jpeg).jpeg({ quality: 80 }).toBuffer();
  const svg = Buffer.from(overlaySvg(width, height, faces));
  return sharp(jpeg)
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: 80 })
    .toBuffer();
}
