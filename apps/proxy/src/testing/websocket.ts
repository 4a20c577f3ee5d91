import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** A minimal RFC 6455 implementation for tests: handshake and unfragmented text frames. */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const acceptKey = (key: string): string => createHash('sha1').update(key + GUID).digest('base64');

/** One text frame; clients must mask (RFC 6455 section 5.3). */
export function encodeFrame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, (mask ? 0x80 : 0) | len]) : Buffer.from([0x81, (mask ? 0x80 : 0) | 126, len >> 8, len & 0xff]);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([head, key, masked]);
}

/** Splits complete frames off `buf`; returns their texts and the unparsed rest. */
export function decodeFrames(buf: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let pos = 0;
  for (;;) {
    if (buf.length < pos + 2) break;
    const masked = (buf[pos + 1] & 0x80) !== 0;
    let len = buf[pos + 1] & 0x7f;
    let off = pos + 2;
    if (len === 126) {
      if (buf.length < off + 2) break;
      len = buf.readUInt16BE(off);
      off += 2;
    }
    const keyOff = off;
    if (masked) off += 4;
    if (buf.length < off + len) break;
    const payload = Buffer.from(buf.subarray(off, off + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[keyOff + (i % 4)];
    texts.push(payload.toString());
    pos = off + len;
  }
  return { texts, rest: buf.subarray(pos) };
}

/** An echo WebSocket server: answers each text frame with `echo:<text>`; records upgrade requests. */
export async function startWsEcho(host: string): Promise<{ port: number; requests: http.IncomingHttpHeaders[]; server: http.Server; close(): Promise<void> }> {
  const requests: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required'));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    requests.push(req.headers);
    sockets.add(socket);
    if (req.url === '/refuse') return void socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 4\r\nconnection: close\r\n\r\nnope');
    const key = String(req.headers['sec-websocket-key']);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${acceptKey(key)}\r\n\r\n`);
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      const { texts, rest } = decodeFrames(Buffer.concat([buf, d]));
      buf = rest;
      for (const t of texts) socket.write(encodeFrame(`echo:${t}`, false));
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    server,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface WsClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  key: string;
  /** Sends a text frame and waits for the next one. */
  roundTrip(text: string): Promise<string>;
  socket?: Duplex;
  body: string;
}

/** Opens a WebSocket (or sees the refusal) through `target` (from `localAddress` if given), with `authority` as Host. */
export function wsConnect(target: { host: string; port: number; localAddress?: string }, authority: string, path = '/ws'): Promise<WsClient> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, path, agent: false, headers: { host: authority, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key } });
    req.on('upgrade', (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      let buf: Buffer = head;
      const waiting: Array<(t: string) => void> = [];
      socket.on('data', (d: Buffer) => {
        const { texts, rest } = decodeFrames(Buffer.concat([buf, d]));
        buf = rest;
        for (const t of texts) waiting.shift()?.(t);
      });
      const roundTrip = (text: string): Promise<string> =>
        new Promise((done) => {
          waiting.push(done);
          socket.write(encodeFrame(text, true));
        });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, key, roundTrip, socket, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, key, roundTrip: () => Promise.reject(new Error('not upgraded')), body }));
    });
    req.on('error', reject);
    req.end();
  });
}
