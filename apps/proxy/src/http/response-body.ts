import type { Readable } from 'node:stream';
import { type Sink, pump } from './pump';

/** An upstream response body as the router consumes it, whichever codec carried it. */
export interface ResponseBody {
  /**
   * Writes the body into `dst` with backpressure, `onChunk` seeing each chunk; `beforeEnd` runs
   * after the last chunk, just before `dst` is ended (to add trailers). Resolves when `dst` has
   * finished; rejects (and stops the other side) if either fails or `dst` closes early.
   */
  relay(dst: Sink, onChunk: (chunk: Buffer) => void, beforeEnd?: () => void): Promise<void>;
}

/** A Readable (an HTTP/2 stream) as a ResponseBody. */
export function readableBody(src: Readable): ResponseBody {
  return {
    relay: (dst, onChunk, beforeEnd) => {
      src.on('data', onChunk);
      return pump(src, dst, beforeEnd);
    },
  };
}
