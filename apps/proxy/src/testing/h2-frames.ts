import http2 from 'node:http2';
import net from 'node:net';
import { SocketFacade } from '../h2/socket-facade';

/** The 9-byte header of an HTTP/2 frame (RFC 9113 section 4.1). */
export interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

export const FRAME = { DATA: 0, HEADERS: 1 } as const;
export const FLAG = { END_STREAM: 0x1, END_HEADERS: 0x4 } as const;

/** Parses a byte stream into frame headers, after `skip` bytes (the client's 24-byte preface). */
function frameParser(frames: FrameHeader[], skip: number): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    if (skip > 0) {
      const n = Math.min(skip, pending.length);
      pending = pending.subarray(n);
      skip -= n;
    }
    while (pending.length >= 9) {
      const length = pending.readUIntBE(0, 3);
      if (pending.length < 9 + length) return;
      frames.push({ length, type: pending[3], flags: pending[4], streamId: pending.readUInt32BE(5) & 0x7fffffff });
      pending = pending.subarray(9 + length);
    }
  };
}

/**
 * An h2c session whose incoming bytes are also parsed into frame headers, to see how the server
 * framed a response (END_STREAM on the last DATA frame or in a frame of its own). The session
 * reads through a JS facade, so the frames are seen as they arrive.
 */
export function tappedH2Connect(host: string, port: number): Promise<{ session: http2.ClientHttp2Session; frames: FrameHeader[] }> {
  const frames: FrameHeader[] = [];
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${host}:${port}`, {
      createConnection: () => {
        const socket = net.connect({ host, port });
        socket.on('data', frameParser(frames, 0));
        return new SocketFacade(socket);
      },
    });
    session.once('connect', () => resolve({ session, frames }));
    session.once('error', reject);
  });
}

export interface TappedH2Server {
  port: number;
  /** Frame headers the server received, every connection's (stream ids are per connection). */
  frames: FrameHeader[];
  close(): Promise<void>;
}

/** An h2c server that also parses what its clients send into frame headers. */
export async function tappedH2Server(host: string, onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<TappedH2Server> {
  const frames: FrameHeader[] = [];
  const h2 = http2.createServer();
  h2.on('stream', onStream);
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('data', frameParser(frames, 24));
    h2.emit('connection', new SocketFacade(socket));
  });
  await new Promise<void>((resolve) => tcp.listen(0, host, resolve));
  return {
    port: (tcp.address() as net.AddressInfo).port,
    frames,
    close: async () => {
      for (const s of sockets) s.destroy();
      h2.close();
      await new Promise((resolve) => tcp.close(resolve));
    },
  };
}

/** The DATA and HEADERS frames of one stream, in arrival order. */
export function streamFrames(frames: readonly FrameHeader[], streamId: number): FrameHeader[] {
  return frames.filter((f) => f.streamId === streamId && (f.type === FRAME.DATA || f.type === FRAME.HEADERS));
}
