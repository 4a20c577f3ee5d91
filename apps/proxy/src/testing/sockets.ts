import net from 'node:net';
import tls from 'node:tls';

export interface TcpServer {
  host: string;
  port: number;
  connections: number;
  close(): Promise<void>;
}

/**
 * Listens on `host` (free port), remembering open connections so `close()` ends them all (a
 * keep-alive or tunnelled connection would otherwise hold the server open).
 */
export async function listenTracked(server: net.Server, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A TCP server on `host` (free port). The default handler echoes, and after the client's FIN
 * writes `bye` and ends (so a test sees half-close pass both ways).
 */
export async function startTcpServer(host: string, handler: (s: net.Socket) => void = echoThenBye, opts: { tls?: { cert: string; key: string } } = {}): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket): void => {
    s.on('error', () => s.destroy());
    out.connections++;
    handler(s);
  };
  const server = opts.tls ? tls.createServer({ ...opts.tls, allowHalfOpen: true }, onSocket) : net.createServer({ allowHalfOpen: true }, onSocket);
  // Raw connections, including TLS ones that never finished a handshake, so close() ends them all.
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const out: TcpServer = {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return out;
}

export function echoThenBye(s: net.Socket): void {
  s.on('data', (d: Buffer) => s.write(d));
  s.on('end', () => s.end('bye'));
}

/** Replies `name` to the first bytes received, then closes. */
export const answerWith =
  (name: string) =>
  (s: net.Socket): void => {
    s.once('data', () => s.end(name));
  };

/** A port nothing listens on (bound then released). */
export async function closedPort(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Everything a socket receives until it closes; `ended` tells whether a FIN arrived. Like most
 * clients, it closes its own side once the peer's FIN arrives.
 */
export function collect(s: net.Socket): Promise<{ data: string; ended: boolean; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let error: string | undefined;
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => {
      ended = true;
      s.end();
    });
    s.on('error', (e) => (error = e.message));
    s.on('close', () => resolve({ data: Buffer.concat(chunks).toString(), ended, error }));
  });
}

export function connect(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
  });
}
