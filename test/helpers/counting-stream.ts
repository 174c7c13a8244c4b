/** A request body that would provide `total` bytes in 64 KiB chunks, counting how many were pulled. */
export function countingStream(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const n = Math.min(65_536, total - pulled);
      pulled += n;
      controller.enqueue(new Uint8Array(n).fill(0xab));
    },
  });
  return { stream, pulled: () => pulled };
}
