// A WebSocket echo endpoint with no dependencies: the RFC 6455 opening handshake and the framing
// needed to echo messages (https://www.rfc-editor.org/rfc/rfc6455). Text, binary and continuation
// frames come back as they arrived (unmasked, as a server sends them); ping gets pong; close is
// answered with close.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Largest frame payload accepted; a bigger one closes the connection (1009, message too big). */
export const MAX_PAYLOAD = 1 << 20;

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Encodes one frame; `mask` (4 bytes) masks the payload, as a client must. */
export function encodeFrame(f: Frame, mask?: Buffer): Buffer {
  const len = f.payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = (f.fin ? 0x80 : 0) | f.opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, f.payload]);
  mask.copy(head, 2 + ext);
  const body = Buffer.from(f.payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
  return Buffer.concat([head, body]);
}

/** Incremental frame decoder: feed bytes, get complete frames (payloads unmasked). */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) return frames;
      frames.push(f);
    }
  }

  private next(): Frame | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    const masked = (b[1] & 0x80) !== 0;
    let len = b[1] & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(MAX_PAYLOAD)) throw new RangeError(`frame of ${big} bytes exceeds ${MAX_PAYLOAD}`);
      len = Number(big);
      off = 10;
    }
    if (len > MAX_PAYLOAD) throw new RangeError(`frame of ${len} bytes exceeds ${MAX_PAYLOAD}`);
    const maskLen = masked ? 4 : 0;
    if (b.length < off + maskLen + len) return undefined;
    const payload = Buffer.from(b.subarray(off + maskLen, off + maskLen + len));
    if (masked) {
      const mask = b.subarray(off, off + 4);
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
    }
    this.buf = b.subarray(off + maskLen + len);
    return { fin: (b[0] & 0x80) !== 0, opcode: b[0] & 0x0f, payload };
  }
}

/**
 * Completes the handshake of an HTTP `Upgrade: websocket` request and echoes every message.
 * Answers 400 (and closes) when the request is not a valid version-13 WebSocket handshake.
 */
export function acceptEcho(req: IncomingMessage, socket: Duplex, head: Buffer, extraHeaders: Record<string, string>): void {
  const key = req.headers['sec-websocket-key'];
  if (String(req.headers.upgrade).toLowerCase() !== 'websocket' || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const extra = Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n${extra}\r\n`);
  const decoder = new FrameDecoder();
  const onData = (chunk: Buffer): void => {
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch {
      socket.end(encodeFrame({ fin: true, opcode: Opcode.close, payload: closePayload(1009) }));
      return;
    }
    for (const f of frames) {
      if (f.opcode === Opcode.close) {
        socket.end(encodeFrame({ fin: true, opcode: Opcode.close, payload: f.payload.subarray(0, 2) }));
        return;
      }
      if (f.opcode === Opcode.ping) socket.write(encodeFrame({ fin: true, opcode: Opcode.pong, payload: f.payload }));
      else if (f.opcode !== Opcode.pong) socket.write(encodeFrame(f));
    }
  };
  socket.on('data', onData);
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
  if (head.length) onData(head);
}

function closePayload(code: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
}
