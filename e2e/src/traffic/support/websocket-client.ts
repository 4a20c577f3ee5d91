import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A minimal RFC 6455 client over a plain socket, so a test can speak WebSocket to a sidecar's HTTP
 * proxy port exactly as an application would (HTTP/1.1 Upgrade, masked client frames).
 */
export class WebSocketClient {
  private buf = Buffer.alloc(0);
  private readonly messages: Array<{ opcode: number; data: Buffer }> = [];
  private waiter?: () => void;
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly handshake: string,
  ) {}

  /**
   * Connects to `proxyHost:proxyPort` and upgrades `GET <target>` (absolute-form URL, as sent to an
   * HTTP proxy) with the given Host. Rejects unless the answer is 101 with the right accept key.
   */
  static connect(proxyHost: string, proxyPort: number, target: string, host: string, timeoutMs = 10_000): Promise<WebSocketClient> {
    const key = randomBytes(16).toString('base64');
    const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    return new Promise((resolve, reject) => {
      const socket = net.connect(proxyPort, proxyHost);
      const timer = setTimeout(() => socket.destroy(new Error(`no WebSocket handshake within ${timeoutMs} ms`)), timeoutMs);
      let head = Buffer.alloc(0);
      const onData = (d: Buffer): void => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.off('data', onData);
        const handshake = head.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101/.test(handshake) || !handshake.toLowerCase().includes(`sec-websocket-accept: ${expected.toLowerCase()}`)) {
          socket.destroy();
          reject(new Error(`WebSocket upgrade refused:\n${handshake}`));
          return;
        }
        const ws = new WebSocketClient(socket, handshake);
        socket.on('data', (x: Buffer) => ws.onData(x));
        socket.on('close', () => ws.onClose());
        ws.onData(head.subarray(end + 4));
        resolve(ws);
      };
      socket.on('data', onData);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  }

  /** Sends one masked frame (text for strings, binary for buffers). */
  send(data: string | Buffer): void {
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    const mask = randomBytes(4);
    const len = payload.length;
    const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
    const head = Buffer.alloc(2 + ext + 4);
    head[0] = 0x80 | (typeof data === 'string' ? 0x1 : 0x2);
    head[1] = 0x80 | (ext === 0 ? len : ext === 2 ? 126 : 127);
    if (ext === 2) head.writeUInt16BE(len, 2);
    if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
    mask.copy(head, 2 + ext);
    const body = Buffer.from(payload);
    for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
    this.socket.write(Buffer.concat([head, body]));
  }

  /** The next message from the server (unmasked data frames only). */
  async receive(timeoutMs = 5000): Promise<{ text: boolean; data: Buffer }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.messages.length) {
      if (this.closed) throw new Error('WebSocket closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no WebSocket message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    const m = this.messages.shift() as { opcode: number; data: Buffer };
    return { text: m.opcode === 0x1, data: m.data };
  }

  close(): void {
    this.socket.end();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const b = this.buf;
      if (b.length < 2) break;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) break;
      const opcode = b[0] & 0x0f;
      if (opcode === 0x1 || opcode === 0x2) this.messages.push({ opcode, data: Buffer.from(b.subarray(off, off + len)) });
      this.buf = b.subarray(off + len);
    }
    this.waiter?.();
  }

  private onClose(): void {
    this.closed = true;
    this.waiter?.();
  }
}
