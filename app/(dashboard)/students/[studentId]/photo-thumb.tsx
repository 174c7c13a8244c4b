'use client';

import { useState } from 'react';

export type Box = { x: number; y: number; width: number; height: number };

/**
 * A photo with its face box drawn on top. The box is in the engine's (possibly shrunk) image
 * coordinates, so it is scaled by `width`/`height` when known, else by the image's natural size.
 */
export function PhotoThumb({
  src,
  box,
  width,
  height,
  accepted,
}: {
  src: string;
  box: Box | null;
  width?: number;
  height?: number;
  accepted: boolean;
}) {
  const [natural, setNatural] = useState<{ w: number; h: number }>();
  const w = width ?? natural?.w;
  const h = height ?? natural?.h;
  return (
    <div className="relative overflow-hidden rounded bg-slate-100">
      <img
        src={src}
        alt=""
        className="block h-auto w-full"
        onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
      />
      {box && w && h ? (
        <div
          data-testid="face-box"
          className={`absolute border-2 ${accepted ? 'border-green-500' : 'border-red-500'}`}
          style={{
            left: `${(box.x / w) * 100}%`,
            top: `${(box.y / h) * 100}%`,
            width: `${(box.width / w) * 100}%`,
            height: `${(box.height / h) * 100}%`,
          }}
        />
      ) : null}
    </div>
  );
}
