import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HeaderMap } from './headers';

/** The status line and header block of an HTTP/1.1 response, as bytes for a raw socket. */
export function responseHead(status: number, headers: HeaderMap): string {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  for (const [k, v] of Object.entries(headers)) {
    for (const one of Array.isArray(v) ? v : [v]) head += `${k}: ${one.replace(/[\r\n]/g, '')}\r\n`;
  }
  return `${head}\r\n`;
}

/**
 * Writes a complete HTTP/1.1 response on a socket that node's HTTP server has handed over (an
 * upgrade request), then closes it. Returns the body size.
 */
export function writeRawResponse(socket: Duplex, status: number, headers: HeaderMap, body: string | Buffer = ''): number {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const all: HeaderMap = { ...headers, 'content-length': String(buf.length), connection: 'close' };
  if (buf.length && all['content-type'] === undefined) all['content-type'] = 'text/plain';
  if (socket.writable) socket.end(Buffer.concat([Buffer.from(responseHead(status, all)), buf]));
  else socket.destroy();
  return buf.length;
}
