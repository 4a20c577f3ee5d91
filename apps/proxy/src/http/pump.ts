import type { Readable } from 'node:stream';

/** Where pump writes: a Writable, or a response object shaped like one. */
export type Sink = NodeJS.WritableStream & { destroy(error?: Error): void };

/**
 * Pipes `src` into `dst` with backpressure and resolves when `dst` has finished; rejects (and
 * destroys the other side) if either fails or `dst` closes early. `beforeEnd` runs once `src` has
 * ended, just before `dst` is ended (to add trailers). A lighter stand-in for stream.pipeline,
 * which allocates an AbortController (and an AbortError) per call.
 */
export function pump(src: Readable, dst: Sink, beforeEnd?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      src.off('error', onError);
      dst.off('error', onError);
      dst.off('close', onClose);
      dst.off('finish', onFinish);
    };
    const onError = (err: Error): void => {
      cleanup();
      src.destroy();
      dst.destroy();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      src.destroy();
      reject(new Error('downstream closed before the response completed'));
    };
    const onFinish = (): void => {
      cleanup();
      resolve();
    };
    src.once('error', onError);
    dst.once('error', onError);
    dst.once('close', onClose);
    dst.once('finish', onFinish);
    if (!beforeEnd) return void src.pipe(dst);
    src.once('end', () => {
      beforeEnd();
      dst.end();
    });
    src.pipe(dst, { end: false });
  });
}
