import http from 'node:http';
import { Duplex } from 'node:stream';
import type { TcpTunnelingConfig } from '../config/model';

/** The tunnel was refused (a non-2xx answer) or broke before it was up. */
export class TunnelError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

/** CONNECT `hostname` (RFC 9110 section 9.3.6): after a 2xx the connection itself carries the stream. */
function connectTunnel(conn: Duplex, t: TcpTunnelingConfig): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = http.request({ method: 'CONNECT', path: t.hostname, headers: { host: t.hostname }, createConnection: () => conn as never });
    req.once('connect', (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!ok(res.statusCode)) return reject(new TunnelError(`CONNECT answered ${res.statusCode}`, res.statusCode));
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.once('error', (err) => reject(new TunnelError(err.message)));
    req.end();
  });
}

/**
 * POST `post_path` with Host `hostname`: the request body (chunked) carries the downstream bytes and
 * the response body the upstream's; after a 2xx the two make one duplex stream.
 */
function postTunnel(conn: Duplex, t: TcpTunnelingConfig): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = http.request({ method: 'POST', path: t.postPath, headers: { host: t.hostname }, createConnection: () => conn as never });
    req.once('response', (res: http.IncomingMessage) => {
      if (!ok(res.statusCode)) {
        res.resume();
        return reject(new TunnelError(`POST answered ${res.statusCode}`, res.statusCode));
      }
      resolve(Duplex.from({ readable: res, writable: req }));
    });
    req.once('error', (err) => reject(new TunnelError(err.message)));
    req.flushHeaders();
  });
}

/**
 * Envoy's tcp_proxy tunneling_config over an HTTP/1.1 upstream connection (`conn`, connected):
 * CONNECT (or POST) asking for `hostname`; resolves with the stream to splice once a 2xx
 * answered, rejects otherwise (Envoy then closes the downstream connection).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/upgrades#tunneling-tcp-over-http
 */
export function openHttpTunnel(conn: Duplex, t: TcpTunnelingConfig): Promise<Duplex> {
  return t.usePost ? postTunnel(conn, t) : connectTunnel(conn, t);
}
