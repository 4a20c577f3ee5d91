import type { ExtAuthzConfig, HttpConnectionManagerConfig, HttpSecurityFilter, JwtAuthnConfig } from '../config/model';
import type { ConnectionInfo } from '../net/connection';
import type { RequestView, Rng } from '../routing';
import {
  type AuthzClient,
  type ClusterLookup,
  type DynamicMetadata,
  GrpcAuthzClient,
  HttpAuthzClient,
  JWT_AUTHN_NAMESPACE,
  JwksCache,
  JwtVerifier,
  RBAC_HTTP_NAMESPACE,
  callCluster,
  callUrl,
  rbacDeniedDetails,
  remoteIp,
  runExtAuthz,
  runJwtAuthn,
  runRbacFilter,
  setMetadata,
} from '../security';
import type { StatsScope } from '../stats';
import { type Exchange, localReply } from './exchange';
import type { HeaderMap } from './headers';

/** What the security filters see of one request and may change. */
export interface SecurityRequest {
  view: RequestView;
  /** The request headers as forwarded (the view's headers): filters remove and add headers. */
  headers: HeaderMap;
  /** `x-forwarded-for` as received, for RBAC `remote_ip`. */
  receivedXff: string | undefined;
  conn: ConnectionInfo;
  protocol: string;
  hcm: HttpConnectionManagerConfig;
  stats: StatsScope;
  /** Adds a header to the eventual downstream response (ext_authz response_headers_to_add). */
  addResponseHeader: (key: string, value: string, append: boolean) => void;
}

/** A local reply a security filter asks for. */
export interface SecurityReply {
  status: number;
  body: string;
  headers: HeaderMap;
  details: string;
  /** Envoy response flag (UAEX for ext_authz); RBAC and jwt_authn set none. */
  flag?: 'UAEX';
}

export type SecurityResult = { kind: 'continue'; clearRouteCache: boolean } | { kind: 'reply'; reply: SecurityReply };

export interface SecurityFilterDeps {
  clusters: ClusterLookup;
  rng: Rng;
  now?: () => number;
}

const counters = (stats: StatsScope, prefix: string): { inc(stat: string): void } => ({ inc: (stat) => stats.counter(`${prefix}${stat}`).inc() });

/**
 * The HCM's security filters (RBAC, jwt_authn, ext_authz) for one request, in config order,
 * before routing: each may answer the request itself (403 / 401 / the authorizer's answer), change
 * its headers, or write dynamic metadata the next ones match on. Per-config state (JWKS caches,
 * authorization clients) lives as long as the config object.
 */
export class SecurityFilters {
  private readonly verifiers = new WeakMap<JwtAuthnConfig, JwtVerifier>();
  private readonly clients = new WeakMap<ExtAuthzConfig, AuthzClient>();
  private readonly now: () => number;

  constructor(private readonly deps: SecurityFilterDeps) {
    this.now = deps.now ?? Date.now;
  }

  async run(filters: readonly HttpSecurityFilter[], req: SecurityRequest): Promise<SecurityResult> {
    const metadata: DynamicMetadata = {};
    const ip = remoteIp(req.conn.remoteAddress, req.receivedXff, req.hcm.useRemoteAddress, req.hcm.xffNumTrustedHops ?? 0);
    let clearRouteCache = false;
    for (const f of filters) {
      if (f.kind === 'rbac') {
        const d = runRbacFilter(f.config, { conn: req.conn, remoteIp: ip, request: req.view, metadata }, counters(req.stats, 'rbac.'), RBAC_HTTP_NAMESPACE);
        if (!d.allowed) return { kind: 'reply', reply: { status: 403, body: 'RBAC: access denied', headers: {}, details: rbacDeniedDetails(d.policyId) } };
      } else if (f.kind === 'jwt-authn') {
        const r = await runJwtAuthn(f.config, this.verifier(f.config, req.stats), req.view, req.headers, Math.floor(this.now() / 1000));
        if (r.kind === 'deny') {
          req.stats.counter('jwt_authn.denied').inc();
          return { kind: 'reply', reply: { status: r.status, body: r.body, headers: { 'www-authenticate': r.wwwAuthenticate }, details: r.details } };
        }
        req.stats.counter(r.bypassed ? 'jwt_authn.cors_preflight_bypassed' : 'jwt_authn.allowed').inc();
        if (Object.keys(r.payloads).length) setMetadata(metadata, JWT_AUTHN_NAMESPACE, r.payloads);
        clearRouteCache ||= r.clearRouteCache;
      } else {
        const cfg = f.config;
        const input = { view: req.view, conn: req.conn, protocol: req.protocol, metadata, namespaces: cfg.metadataContextNamespaces, nowMs: this.now() };
        const r = await runExtAuthz(cfg, this.client(cfg), input, req.headers, metadata, this.deps.rng);
        const prefix = cfg.statPrefix ? `ext_authz.${cfg.statPrefix}.` : 'ext_authz.';
        for (const s of r.stats) req.stats.counter(`${prefix}${s}`).inc();
        if (r.kind === 'deny') {
          const headers: HeaderMap = {};
          for (const h of r.headers) {
            const cur = headers[h.key];
            headers[h.key] = cur === undefined ? h.value : [...(Array.isArray(cur) ? cur : [cur]), h.value];
          }
          return { kind: 'reply', reply: { status: r.status, body: r.body, headers, details: r.details, flag: 'UAEX' } };
        }
        for (const h of r.responseHeaders) req.addResponseHeader(h.key, h.value, h.append);
        clearRouteCache ||= r.clearRouteCache;
      }
    }
    return { kind: 'continue', clearRouteCache };
  }

  private verifier(cfg: JwtAuthnConfig, stats: StatsScope): JwtVerifier {
    let v = this.verifiers.get(cfg);
    if (!v) {
      const fetcher = async (uri: string, cluster: string, timeoutMs: number): Promise<{ status: number; body: string }> => {
        const res = this.deps.clusters.get(cluster) ? await callCluster(this.deps.clusters, cluster, jwksRequest(uri, timeoutMs)) : await callUrl(uri, timeoutMs);
        return { status: res.status, body: res.body.toString('utf8') };
      };
      v = new JwtVerifier(cfg, new JwksCache(fetcher, () => counters(stats, 'jwt_authn.'), this.now));
      this.verifiers.set(cfg, v);
    }
    return v;
  }

  private client(cfg: ExtAuthzConfig): AuthzClient {
    let c = this.clients.get(cfg);
    if (!c) {
      c = cfg.service.kind === 'grpc' ? new GrpcAuthzClient(cfg.service, this.deps.clusters) : new HttpAuthzClient(cfg.service, this.deps.clusters);
      this.clients.set(cfg, c);
    }
    return c;
  }
}

/** A GET of the JWKS URI's path through its cluster, with the URI's authority as Host. */
function jwksRequest(uri: string, timeoutMs: number): { method: string; path: string; headers: Record<string, string>; timeoutMs: number } {
  const u = new URL(uri);
  return { method: 'GET', path: `${u.pathname}${u.search}`, headers: { host: u.host }, timeoutMs };
}

/** What the router does after the security filters: go on, re-select the route, or stop (replied). */
export type SecurityStage = 'continue' | 'reroute' | 'replied';

/**
 * Runs the HCM's security filters on an exchange: a denial becomes the local reply (a gRPC
 * request gets it trailers-only, grpc-status from the HTTP status: 403 -> 7, 401 -> 16) with the
 * filter's response code details; `reroute` when a filter changed headers with clear_route_cache.
 */
export async function securityStage(filters: SecurityFilters, x: Exchange): Promise<SecurityStage> {
  const list = x.hcm.securityFilters;
  if (!list?.length) return 'continue';
  const xff = x.req.headers['x-forwarded-for'];
  const r = await filters.run(list, {
    view: x.view,
    headers: x.headers,
    receivedXff: Array.isArray(xff) ? xff.join(',') : xff,
    conn: x.conn,
    protocol: x.info.protocol,
    hcm: x.hcm,
    stats: x.httpStats,
    addResponseHeader: (key, value, append) => {
      const cur = x.res.getHeader(key);
      x.res.setHeader(key, append && cur !== undefined ? [...(Array.isArray(cur) ? cur.map(String) : [String(cur)]), value] : value);
    },
  });
  if (r.kind === 'continue') return r.clearRouteCache ? 'reroute' : 'continue';
  x.info.details = r.reply.details;
  if (r.reply.flag) x.info.flags.add(r.reply.flag);
  localReply(x, r.reply.status, r.reply.body, r.reply.headers);
  return 'replied';
}
