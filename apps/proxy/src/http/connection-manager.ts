import type { HttpConnectionManagerConfig } from '../config/model';
import type { RouteTable } from '../routing';
import { type StatsStore, statusClassStat } from '../stats';
import { type AccessLogSink, formatAccessLog } from './access-log';
import type { DownstreamStream } from './downstream';
import { type Exchange, localReply } from './exchange';
import { isGrpcRequest } from './grpc';
import { headerFormatter } from './header-format';
import { first } from './headers';
import { connectionManagerHeaders, requestTarget } from './request-headers';
import { type RouterDeps, routeRequest } from './router';
import { SecurityFilters, securityStage } from './security-filters';
import { newStreamInfo } from './stream-info';
import { UpgradeHandler } from './upgrade';
import { Cancellation } from '../util/cancellation';

/** What a bound listener hands the connection manager for each request. */
export interface ListenerContext {
  hcm: HttpConnectionManagerConfig;
  /** The route table in force right now (RDS updates apply to the next request). */
  routes(): RouteTable | undefined;
  draining(): boolean;
  scheme: string;
}

export interface ConnectionManagerDeps extends RouterDeps {
  stats: StatsStore;
  accessLog?: AccessLogSink;
  log: (msg: string) => void;
}

/**
 * Envoy's HTTP connection manager for one request: request target (origin or absolute form),
 * connection-manager headers, routing, stats and the access log.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_connection_management
 */
export class ConnectionManager {
  /** HTTP/1.1 Upgrade requests (WebSocket), which node hands over as raw sockets. */
  readonly upgrades: UpgradeHandler;

  /** The deps the router gets: ours plus the security filter stage. */
  private readonly routerDeps: ConnectionManagerDeps;

  constructor(private readonly deps: ConnectionManagerDeps) {
    const security = new SecurityFilters({ clusters: deps.clusters, rng: deps.rng });
    this.routerDeps = { ...deps, securityStage: (x) => securityStage(security, x) };
    this.upgrades = new UpgradeHandler(deps, security);
  }

  handle(ctx: ListenerContext, d: DownstreamStream): void {
    let onClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    const x = this.exchange(ctx, d);
    // One `close` listener per request: downstream gone (if unfinished), then completion.
    d.res.once('close', () => {
      if (!d.res.writableFinished) x.downstreamGone.cancel('downstream');
      onClosed();
    });
    x.httpStats.counter('downstream_rq_total').inc();
    x.httpStats.gauge('downstream_rq_active').inc();
    const work = x.view.authority ? routeRequest(this.routerDeps, x, ctx.routes()) : this.badRequest(x);
    void Promise.resolve(work)
      .catch((err: unknown) => {
        this.deps.log(`internal error handling ${x.info.method} ${x.info.authority}${x.info.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        localReply(x, 500, 'internal error');
      })
      .then(() => closed)
      .then(() => this.complete(x));
  }

  private exchange(ctx: ListenerContext, d: DownstreamStream): Exchange {
    const { req, res, conn } = d;
    const { authority, path } = requestTarget(req.url, req.headers);
    const method = req.method ?? 'GET';
    const info = newStreamInfo(method, path, authority);
    info.protocol = conn.protocol === 'HTTP/2' ? 'HTTP/2' : `HTTP/${req.httpVersion}`;
    const headers = connectionManagerHeaders(req.headers, conn.remoteAddress, ctx.hcm, ctx.scheme);
    info.requestId = first(headers, 'x-request-id');
    info.forwardedFor = first(headers, 'x-forwarded-for');
    info.userAgent = first(headers, 'user-agent');
    const gone = new Cancellation();
    const format = headerFormatter({
      downstreamRemoteAddress: conn.remoteAddress,
      downstreamRemotePort: conn.remotePort,
      downstreamLocalAddress: conn.localAddress,
      downstreamLocalPort: conn.localPort,
      protocol: info.protocol,
    });
    return {
      req,
      res,
      conn,
      hasBody: d.hasBody,
      grpc: isGrpcRequest(req.headers),
      info,
      view: { method, authority, path, scheme: ctx.scheme, headers },
      headers,
      hcm: ctx.hcm,
      httpStats: this.deps.stats.scope('http', ctx.hcm.statPrefix),
      format,
      downstreamGone: gone,
      draining: () => ctx.draining(),
    };
  }

  /** HTTP/1.1 requires a Host (HTTP/2 an :authority); Envoy answers a request without one with 400. */
  private badRequest(x: Exchange): void {
    x.info.flags.add('DPE');
    localReply(x, 400, 'missing host header');
  }

  private complete(x: Exchange): void {
    const s = x.httpStats;
    s.gauge('downstream_rq_active').dec();
    const status = x.info.status;
    if (x.downstreamGone.cancelled) x.info.flags.add('DC');
    if (status) s.counter(statusClassStat('downstream_rq', status)).inc();
    s.counter('downstream_rq_completed').inc();
    this.deps.accessLog?.(formatAccessLog(x.info, Date.now()));
  }
}
