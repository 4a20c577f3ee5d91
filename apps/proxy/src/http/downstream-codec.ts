import http from 'node:http';
import http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { H2DownstreamRequest } from '../h2/downstream-request';
import { H2DownstreamResponse } from '../h2/downstream-response';
import type { ConnectionInfo, ServedConnection } from '../net/connection';
import type { ConnectionManager, ListenerContext } from './connection-manager';
import { type DownstreamConnection, http1HasBody } from './downstream';
import { sniffPreface } from './preface';

/**
 * The HTTP codecs of one HttpConnectionManager filter chain: node's HTTP/1.1 server and HTTP/2
 * server (core stream API: h2/downstream-response.ts), neither listening; the listener hands them
 * accepted (and possibly TLS-terminated) connections. Codec AUTO picks HTTP/2 for ALPN `h2` or the h2c preface, else
 * HTTP/1.1; HTTP1 / HTTP2 force one. Both feed the same connection manager.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_connection_management
 */
export class DownstreamCodec {
  private readonly h1: http.Server;
  private readonly h2: http2.Http2Server;
  private readonly conns = new WeakMap<object, DownstreamConnection>();
  /** In-flight HTTP/1.1 requests per socket, so a drain can close idle connections at once. */
  private readonly inflight = new WeakMap<object, number>();
  private pending?: DownstreamConnection;

  constructor(
    private readonly ctx: ListenerContext,
    private readonly cm: ConnectionManager,
  ) {
    const hcm = ctx.hcm;
    this.h1 = http.createServer({ requestTimeout: 0 }, (req, res) => this.onHttp1(req, res));
    this.h1.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const conn = this.conns.get(req.socket);
      if (!conn) socket.destroy();
      else if (/^\s*h2c\s*$/i.test(req.headers.upgrade ?? '')) this.ignoreH2cUpgrade(req, conn);
      else this.cm.upgrades.handle(this.ctx, conn, req, socket, head);
    });
    // node checks request/headers timeouts from an interval it starts on `listening`.
    this.h1.emit('listening');
    const settings: http2.Settings = { maxConcurrentStreams: hcm.http2.maxConcurrentStreams, initialWindowSize: hcm.http2.initialStreamWindowSize };
    this.h2 = http2.createServer({ settings });
    this.h2.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => this.onHttp2(stream, headers));
    this.h2.on('session', (s: http2.ServerHttp2Session) => this.onSession(s));
    this.h2.on('sessionError', () => undefined);
    this.applyTimeouts();
  }

  /** Re-reads timeouts after the HCM config changed in place. */
  applyTimeouts(): void {
    this.h1.keepAliveTimeout = this.ctx.hcm.idleTimeoutMs;
    this.h1.requestTimeout = this.ctx.hcm.requestTimeoutMs;
  }

  /** Serves one connection. `alpn` is what TLS negotiated (undefined on plaintext). */
  async serve(socket: Duplex, info: ConnectionInfo, alpn: string | undefined): Promise<ServedConnection | undefined> {
    const protocol = await this.pickCodec(socket, alpn);
    if (protocol === 'closed') return undefined;
    if (protocol === 'http2') return this.serveHttp2(socket, { ...info, protocol: 'HTTP/2' });
    const conn: DownstreamConnection = { ...info, protocol: 'HTTP/1.1' };
    this.conns.set(socket, conn);
    this.h1.emit('connection', socket);
    socket.resume();
    return {
      drain: () => {
        if (!this.inflight.get(socket)) socket.destroy();
      },
      destroy: () => socket.destroy(),
    };
  }

  private pickCodec(socket: Duplex, alpn: string | undefined): Promise<'http1' | 'http2' | 'closed'> | 'http1' | 'http2' {
    const codec = this.ctx.hcm.codec;
    if (codec !== 'auto') return codec;
    if (alpn) return alpn === 'h2' ? 'http2' : 'http1';
    return sniffPreface(socket);
  }

  /**
   * Hands the connection itself to node:http2, even when bytes were read and put back (the h2c
   * preface sniff, tls_inspector): the session reads and writes through the socket's native handle
   * and first feeds itself what the socket still buffers (node:http2 does so since nodejs/node#35475). A JS
   * stream in between would cost a JS round trip and an event-loop turn per frame batch, and one
   * TCP segment per frame piece (HEADERS, DATA header, payload, END_STREAM): several wakeups per
   * response at every HTTP/2 hop, which is what made the two-sidecar path slow.
   */
  private serveHttp2(socket: Duplex, conn: DownstreamConnection): ServedConnection {
    let session: http2.ServerHttp2Session | undefined;
    this.pending = conn;
    const onSession = (s: http2.ServerHttp2Session): void => void (session = s);
    this.h2.once('session', onSession);
    this.h2.emit('connection', socket);
    this.h2.off('session', onSession);
    this.pending = undefined;
    return {
      drain: () => {
        if (session && !session.closed) session.close();
      },
      destroy: () => {
        session?.destroy();
        socket.destroy();
      },
    };
  }

  private onSession(s: http2.ServerHttp2Session): void {
    if (this.pending) this.conns.set(s, this.pending);
    const window = this.ctx.hcm.http2.initialConnectionWindowSize;
    if (window) s.once('connect', () => s.setLocalWindowSize(window));
    const idle = this.ctx.hcm.idleTimeoutMs;
    if (idle > 0) s.setTimeout(idle, () => s.close());
    s.on('error', () => undefined);
  }

  private onHttp1(req: http.IncomingMessage, res: http.ServerResponse): void {
    const conn = this.conns.get(req.socket);
    if (!conn) return void res.destroy();
    const sock = req.socket;
    this.inflight.set(sock, (this.inflight.get(sock) ?? 0) + 1);
    res.once('close', () => {
      const n = (this.inflight.get(sock) ?? 1) - 1;
      this.inflight.set(sock, n);
      // A response begun before the drain went out without `connection: close`.
      if (n === 0 && this.ctx.draining()) sock.end();
    });
    this.cm.handle(this.ctx, { conn, req, res, hasBody: http1HasBody(req.headers) });
  }

  /**
   * Envoy does not do the h2c upgrade (RFC 7540 section 3.2): it drops `Upgrade: h2c` and
   * `HTTP2-Settings` and serves the request as HTTP/1.1. node has handed the socket over by now, so
   * the response closes the connection. A body cannot be read any more: such a request gets 400.
   */
  private ignoreH2cUpgrade(req: http.IncomingMessage, conn: DownstreamConnection): void {
    const res = new http.ServerResponse(req);
    res.assignSocket(req.socket);
    res.shouldKeepAlive = false;
    res.once('finish', () => req.socket.end());
    if (http1HasBody(req.headers)) return void res.writeHead(400, { 'content-length': '0' }).end();
    this.cm.handle(this.ctx, { conn, req, res, hasBody: false });
  }

  /**
   * One HTTP/2 stream. CONNECT gets 405 and an Expect other than 100-continue 417, and
   * 100-continue is answered at once, as node's compatibility API did before a request handler.
   */
  private onHttp2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    // A reset surfaces as the response's `close`; node would otherwise throw the stream's error.
    stream.on('error', () => undefined);
    const conn = this.conns.get(stream.session ?? {});
    if (!conn) return void stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    const res = new H2DownstreamResponse(stream);
    const expect = headers.expect;
    if (headers[':method'] === 'CONNECT' || (expect !== undefined && expect !== '100-continue')) {
      res.statusCode = headers[':method'] === 'CONNECT' ? 405 : 417;
      return void res.end();
    }
    if (expect !== undefined) stream.additionalHeaders({ ':status': 100 });
    this.cm.handle(this.ctx, { conn, req: new H2DownstreamRequest(stream, headers), res, hasBody: !stream.endAfterHeaders });
  }

  /** Stops the HTTP/1.1 timeout checker; connections are closed by the listener. */
  close(): void {
    this.h1.close();
    this.h2.close();
  }
}
