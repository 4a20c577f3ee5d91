import { Writable } from 'node:stream';
import type { ResponseBody } from '../http/response-body';

/** Relays a ResponseBody into a collecting Writable; resolves with the text and the chunks `onChunk` saw. */
export async function relayedBody(body: ResponseBody, beforeEnd?: () => void): Promise<{ text: string; chunks: number }> {
  const parts: Buffer[] = [];
  let chunks = 0;
  const sink = new Writable({
    write(c: Buffer, _enc, done) {
      parts.push(c);
      done();
    },
  });
  await body.relay(sink, () => chunks++, beforeEnd);
  return { text: Buffer.concat(parts).toString(), chunks };
}
