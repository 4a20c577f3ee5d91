import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ForwardAction, HeaderMutation, WeightedCluster } from '../config/model';
import { type RequestView, pickWeighted } from '../routing';
import type { StatsScope } from '../stats';
import type { UpstreamHost } from '../upstream';
import type { AccessLogSink } from './access-log';
import { formatAccessLog } from './access-log';
import type { ListenerContext } from './connection-manager';
import type { DownstreamConnection } from './downstream';
import { applyServerHeader } from './exchange';
import { headerFormatter } from './header-format';
import { type HeaderMap, applyMutations, forwardableHeaders } from './headers';
import { responseHead, writeRawResponse } from './raw-response';
import { connectionManagerHeaders, requestTarget, splitAuthority } from './request-headers';
import { requiresTlsRedirect, tlsRedirectLocation } from './require-tls';
import { type RouterDeps, redirectLocation } from './router';
import type { SecurityFilters } from './security-filters';
import { type ResponseFlag, type StreamInfo, newStreamInfo } from './stream-info';
import { type RouteContext, buildUpstreamRequest, mutationLevels } from './upstream-request';

export interface UpgradeDeps extends RouterDeps {
  stats: { scope(kind: 'http', name: string): StatsScope };
  accessLog?: AccessLogSink;
}

/** One upgrade request in flight. */
interface Upgrade {
  ctx: ListenerContext;
  /** The downstream connection (its addresses go in a PROXY protocol header upstream). */
  conn: DownstreamConnection;
  socket: Duplex;
  head: Buffer;
  info: StreamInfo;
  stats: StatsScope;
  format: ReturnType<typeof headerFormatter>;
  /** Releases the circuit breaker request slot (once). */
  release: () => void;
}

const RESET = 'upstream connect error or disconnect/reset before headers. reset reason:';

/**
 * HTTP/1.1 protocol upgrades (WebSocket) through the connection manager: the request is routed
 * like any other (route, weighted cluster, header mutations, rewrites, route timeout until the
 * upstream answers), sent upstream over a fresh HTTP/1.1 connection of the cluster's transport
 * (TLS / mTLS, PROXY protocol), and once the upstream answers `101 Switching Protocols` the two
 * connections are tunnelled byte for byte until either closes.
 * An upgrade type not enabled by upgrade_configs is refused with 403, as Envoy does. A non-101
 * answer is relayed as a normal response.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/upgrades
 */
export class UpgradeHandler {
  constructor(
    private readonly deps: UpgradeDeps,
    private readonly security?: SecurityFilters,
  ) {}

  handle(ctx: ListenerContext, conn: DownstreamConnection, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const { authority, path } = requestTarget(req.url, req.headers);
    const info = newStreamInfo(req.method ?? 'GET', path, authority);
    const format = headerFormatter({ downstreamRemoteAddress: conn.remoteAddress, downstreamRemotePort: conn.remotePort, downstreamLocalAddress: conn.localAddress, downstreamLocalPort: conn.localPort, protocol: 'HTTP/1.1' });
    const u: Upgrade = { ctx, conn, socket, head, info, stats: this.deps.stats.scope('http', ctx.hcm.statPrefix), format, release: () => undefined };
    u.stats.counter('downstream_rq_total').inc();
    const type = String(req.headers.upgrade ?? '').split(',')[0].trim().toLowerCase();
    if (!ctx.hcm.upgrades.includes(type)) return this.reply(u, 403, '', 'upgrade_failed');
    if (!authority) return this.reply(u, 400, 'missing host header', 'DPE');
    const headers = connectionManagerHeaders(req.headers, conn.remoteAddress, ctx.hcm, ctx.scheme);
    const view = { method: info.method, authority, path, scheme: ctx.scheme, headers };
    const filters = ctx.hcm.securityFilters;
    if (!filters?.length || !this.security) return this.route(u, req, view);
    // The HCM's security filters apply to upgrade requests too (Envoy runs the same filter chain).
    const xff = req.headers['x-forwarded-for'];
    const addResponseHeader = (): void => undefined;
    this.security
      .run(filters, { view, headers, receivedXff: Array.isArray(xff) ? xff.join(',') : xff, conn, protocol: 'HTTP/1.1', hcm: ctx.hcm, stats: u.stats, addResponseHeader })
      .then((r) => {
        if (r.kind === 'continue') return this.route(u, req, view);
        u.info.details = r.reply.details;
        this.reply(u, r.reply.status, r.reply.body, r.reply.flag, r.reply.headers);
      })
      .catch(() => socket.destroy());
  }

  /** Route selection and forwarding, after the security filters let the request through. */
  private route(u: Upgrade, req: http.IncomingMessage, view: RequestView & { headers: HeaderMap }): void {
    const { ctx, info, format } = u;
    const { authority, path, headers } = view;
    const table = ctx.routes();
    if (requiresTlsRedirect(table?.virtualHostFor(view), headers)) return this.reply(u, 301, '', undefined, { location: tlsRedirectLocation(view) });
    const sel = table?.select(view);
    if (!table || !sel) return this.reply(u, 404, '', 'NR');
    info.routeName = sel.route.name;
    const rc: RouteContext = { config: table.config, virtualHost: sel.virtualHost, route: sel.route };
    const a = sel.route.action;
    if (a.kind === 'direct') return this.reply(u, a.status, a.body ?? '');
    if (a.kind === 'redirect') return this.reply(u, a.status, '', undefined, { location: redirectLocation(view, rc, a) });
    const wc = pickWeighted(a.clusters, a.totalWeight, this.deps.rng);
    const spec = buildUpstreamRequest(rc, a, wc, { method: info.method, path, authority, headers }, format);
    spec.headers.connection = 'upgrade';
    spec.headers.upgrade = String(req.headers.upgrade);
    this.forward(u, rc, a, wc, spec);
  }

  private forward(u: Upgrade, rc: RouteContext, a: ForwardAction, wc: WeightedCluster, spec: { method: string; path: string; headers: HeaderMap }): void {
    u.info.upstreamCluster = wc.name;
    const cluster = this.deps.clusters.get(wc.name);
    if (!cluster) return this.reply(u, 503, '', 'NC');
    const destination = cluster.config.type === 'ORIGINAL_DST' ? splitAuthority(u.info.authority, u.ctx.scheme === 'https' ? 443 : 80) : undefined;
    if (destination && this.deps.isOwnListener(destination.host, destination.port)) return this.reply(u, 503, `${RESET} request loop to this proxy`, 'UF');
    const host = cluster.pick({ destination });
    if (!host) return this.reply(u, 503, 'no healthy upstream', 'UH');
    // An upgraded stream is an active request for the circuit breakers (max_requests) while it lasts.
    if (!cluster.breakers.tryRequest()) return this.reply(u, 503, `${RESET} overflow`, 'UO', { 'x-envoy-overloaded': 'true' });
    let held = true;
    u.release = () => {
      if (held) cluster.breakers.releaseRequest();
      held = false;
    };
    u.info.upstreamHost = host.key;
    cluster.stats.counter('upstream_rq_total').inc();
    cluster.stats.counter('upstream_cx_total').inc();
    // The cluster's transport (TLS / mTLS, transport_socket_matches, PROXY protocol), as a request's.
    const { socket: conn, ready } = host.dialHttp1(u.conn);
    let up: http.ClientRequest | undefined;
    const abort = (err: Error): void => void (up ?? conn).destroy(err);
    const connectTimer = setTimeout(() => abort(new Error('connect timeout')), cluster.config.connectTimeoutMs);
    const routeTimer = a.timeoutMs > 0 ? setTimeout(() => abort(new Error('route timeout')), a.timeoutMs) : undefined;
    const clear = (): void => {
      clearTimeout(connectTimer);
      clearTimeout(routeTimer);
    };
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      clear();
      if (err.message === 'route timeout') return this.reply(u, 504, 'upstream request timeout', 'UT');
      if (!up) cluster.stats.counter('upstream_cx_connect_fail').inc();
      this.reply(u, 503, up ? `${RESET} connection termination` : `${RESET} connection failure`, up ? 'UC' : 'UF');
    };
    u.socket.once('close', () => abort(new Error('downstream closed')));
    conn.on('error', fail);
    conn.once(ready, () => {
      clearTimeout(connectTimer);
      conn.off('error', fail);
      up = this.send(conn, spec);
      up.on('error', fail);
      up.on('response', (res) => {
        clear();
        this.relay(u, res, mutationLevels(rc, wc, 'response'));
      });
      up.on('upgrade', (res, upSocket: Duplex, upHead: Buffer) => {
        clear();
        this.tunnel(u, host, res, upSocket, upHead, mutationLevels(rc, wc, 'response'));
      });
    });
  }

  /** The upgrade request on the connected (TLS: verified) upstream connection. */
  private send(conn: Duplex, spec: { method: string; path: string; headers: HeaderMap }): http.ClientRequest {
    const up = http.request({ method: spec.method, path: spec.path, headers: spec.headers, setHost: false, createConnection: () => conn as never });
    up.end();
    return up;
  }

  /** 101 from upstream: answer downstream and splice the two connections. */
  private tunnel(u: Upgrade, host: UpstreamHost, res: http.IncomingMessage, upSocket: Duplex, upHead: Buffer, mutations: HeaderMutation[]): void {
    const headers = forwardableHeaders(res.headers);
    headers.connection = 'upgrade';
    if (res.headers.upgrade) headers.upgrade = res.headers.upgrade;
    applyMutations(headers, mutations, u.format);
    applyServerHeader(headers, u.ctx.hcm);
    u.info.status = 101;
    host.active++;
    u.stats.gauge('downstream_cx_upgrades_active').inc();
    u.stats.counter('downstream_cx_upgrades_total').inc();
    u.socket.write(responseHead(101, headers));
    if (upHead.length) u.socket.write(upHead);
    if (u.head.length) upSocket.write(u.head);
    u.socket.on('data', (c: Buffer) => (u.info.bytesReceived += c.length));
    upSocket.on('data', (c: Buffer) => (u.info.bytesSent += c.length));
    u.socket.pipe(upSocket);
    upSocket.pipe(u.socket);
    let done = false;
    const close = (): void => {
      if (done) return;
      done = true;
      host.active--;
      u.release();
      u.stats.gauge('downstream_cx_upgrades_active').dec();
      u.socket.destroy();
      upSocket.destroy();
      this.log(u);
    };
    for (const s of [u.socket, upSocket]) {
      s.on('error', close);
      s.on('close', close);
    }
  }

  /** A non-101 answer: relayed as an ordinary response (body buffered up to 64 KiB), then closed. */
  private relay(u: Upgrade, res: http.IncomingMessage, mutations: HeaderMutation[]): void {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
      else res.destroy();
    });
    const done = (): void => {
      const headers = forwardableHeaders(res.headers);
      delete headers['content-length'];
      applyMutations(headers, mutations, u.format);
      this.reply(u, res.statusCode ?? 502, Buffer.concat(chunks), undefined, headers);
    };
    res.once('end', done);
    res.once('error', done);
  }

  private reply(u: Upgrade, status: number, body: string | Buffer, flag?: ResponseFlag | 'upgrade_failed', extra: HeaderMap = {}): void {
    u.release();
    if (u.info.status !== undefined) return;
    if (flag === 'upgrade_failed') u.info.details = 'upgrade_failed';
    else if (flag) u.info.flags.add(flag);
    const headers = { ...extra };
    applyServerHeader(headers, u.ctx.hcm);
    u.info.status = status;
    u.info.bytesSent += writeRawResponse(u.socket, status, headers, body);
    this.log(u);
  }

  private log(u: Upgrade): void {
    const status = u.info.status ?? 0;
    u.stats.counter(`downstream_rq_${Math.floor(status / 100)}xx`).inc();
    u.stats.counter('downstream_rq_completed').inc();
    this.deps.accessLog?.(formatAccessLog(u.info, Date.now()));
  }
}
