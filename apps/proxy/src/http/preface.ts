import type { Duplex } from 'node:stream';

/** The HTTP/2 client connection preface (RFC 9113 section 3.4). */
export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** Whether `buf` (possibly shorter than the preface) is consistent with the preface so far. */
export function prefixOfPreface(buf: Buffer): boolean {
  const n = Math.min(buf.length, H2_PREFACE.length);
  return buf.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
}

/**
 * Codec AUTO on a connection without ALPN: reads until the bytes either are the HTTP/2 preface
 * (h2c with prior knowledge) or cannot be, then puts them back (`unshift`) for the codec. Resolves
 * `closed` if the connection ends first.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto#enum-extensions-filters-network-http-connection-manager-v3-httpconnectionmanager-codectype
 */
export function sniffPreface(socket: Duplex): Promise<'http2' | 'http1' | 'closed'> {
  return new Promise((resolve) => {
    let buf: Buffer = Buffer.alloc(0);
    const done = (r: 'http2' | 'http1' | 'closed'): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      if (r !== 'closed') {
        socket.pause();
        if (buf.length) socket.unshift(buf);
      }
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (!prefixOfPreface(buf)) done('http1');
      else if (buf.length >= H2_PREFACE.length) done('http2');
    };
    const onEnd = (): void => done('closed');
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
    socket.resume();
  });
}
