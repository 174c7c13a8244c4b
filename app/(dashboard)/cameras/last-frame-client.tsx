'use client';

import { useEffect, useRef, useState } from 'react';

interface Props {
  cameraId: string;
  alt: string;
  emptyLabel: string;
}

/** The worker's last frame with face boxes, reloaded every 2 s (a new query string defeats caches). */
export function LastFrame({ cameraId, alt, emptyLabel }: Props) {
  const [tick, setTick] = useState(() => Date.now());
  const [failed, setFailed] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  useEffect(() => {
    // The first (server-rendered) image can fail before React listens: its error event is gone, so look.
    if (img.current?.complete && img.current.naturalWidth === 0) setFailed(true);
    const timer = setInterval(() => setTick(Date.now()), 2_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="relative h-24 w-32">
      {/* A plain img: the frame is authenticated and changes every 2 s; next/image would cache it. */}
      <img
        ref={img}
        src={`/api/cameras/${cameraId}/last-frame?t=${tick}`}
        alt={alt}
        width={128}
        height={96}
        onLoad={() => setFailed(false)}
        onError={() => setFailed(true)}
        className={`h-24 w-32 rounded bg-slate-100 object-contain ${failed ? 'invisible' : ''}`}
      />
      {failed ? (
        <span className="absolute inset-0 flex items-center justify-center text-xs text-slate-500">{emptyLabel}</span>
      ) : null}
    </div>
  );
}
