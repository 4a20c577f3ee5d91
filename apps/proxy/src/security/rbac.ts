import type { CidrRange, HttpRbacConfig, NetworkRbacConfig, RbacPermission, RbacPolicy, RbacPrincipal, RbacRules, StringMatcher } from '../config/model';
import type { ConnectionInfo } from '../net/connection';
import { type RequestView, headerValue, matchHeader, matchString, splitPath } from '../routing';
import { inCidr, parseIp, unmapIpv4 } from '../util/ip';
import { type DynamicMetadata, matchMetadata, setMetadata } from './metadata';

/**
 * Envoy's RBAC engine: permissions and principals evaluated against a connection and (for the
 * HTTP filter) a request, policies ORed, the first matching policy (by name) reported.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rbac_filter
 */

/** What RBAC matchers see. `request` is absent for the network filter. */
export interface RbacContext {
  conn: ConnectionInfo;
  /** The original client address (x-forwarded-for per the HCM's settings), else the peer's. */
  remoteIp: string;
  request?: RequestView;
  metadata: DynamicMetadata;
}

function ipIn(addr: string, cidr: CidrRange): boolean {
  const ip = parseIp(addr);
  const base = parseIp(cidr.address);
  return !!ip && !!base && inCidr(unmapIpv4(ip), base, cidr.prefixLen);
}

/** SNI: what TLS termination read (for a TLS chain), else nothing. */
function requestedServerName(conn: ConnectionInfo): string {
  return conn.tls?.sni ?? '';
}

/**
 * Envoy's AuthenticatedMatcher: only a TLS connection is authenticated; with a matcher, a URI SAN,
 * a DNS SAN or (last) the subject must match. The subject is not tracked: it matches as empty.
 */
function authenticated(conn: ConnectionInfo, m: StringMatcher | undefined): boolean {
  const tls = conn.tls;
  if (!tls) return false;
  if (!m) return true;
  const sans = tls.peerCertificatePresented ? [...(tls.peerUriSans ?? []), ...(tls.peerDnsSans ?? [])] : [];
  return sans.some((s) => matchString(m, s)) || matchString(m, '');
}

/** url_path: the path without query and fragment; no request (TCP): never matches. */
function urlPath(ctx: RbacContext, m: StringMatcher): boolean {
  if (!ctx.request) return false;
  const { pathOnly } = splitPath(ctx.request.path);
  const hash = pathOnly.indexOf('#');
  return matchString(m, hash < 0 ? pathOnly : pathOnly.slice(0, hash));
}

/** Header matchers see no headers on a TCP connection (an absent header, so `invert` can match). */
function header(ctx: RbacContext, m: Parameters<typeof matchHeader>[0]): boolean {
  return matchHeader(m, ctx.request ? headerValue(ctx.request, m.name) : undefined);
}

export function matchPermission(p: RbacPermission, ctx: RbacContext): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'and':
      return p.rules.every((r) => matchPermission(r, ctx));
    case 'or':
      return p.rules.some((r) => matchPermission(r, ctx));
    case 'not':
      return !matchPermission(p.rule, ctx);
    case 'header':
      return header(ctx, p.matcher);
    case 'url-path':
      return urlPath(ctx, p.matcher);
    case 'destination-ip':
      return ipIn(ctx.conn.localAddress, p.cidr);
    case 'destination-port':
      return ctx.conn.localPort === p.port;
    case 'destination-port-range':
      return ctx.conn.localPort >= p.start && ctx.conn.localPort < p.end;
    case 'metadata':
      return matchMetadata(p.matcher, ctx.metadata);
    case 'requested-server-name':
      return matchString(p.matcher, requestedServerName(ctx.conn));
  }
}

export function matchPrincipal(p: RbacPrincipal, ctx: RbacContext): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'and':
      return p.ids.every((r) => matchPrincipal(r, ctx));
    case 'or':
      return p.ids.some((r) => matchPrincipal(r, ctx));
    case 'not':
      return !matchPrincipal(p.id, ctx);
    case 'authenticated':
      return authenticated(ctx.conn, p.principalName);
    case 'direct-remote-ip':
      return ipIn(ctx.conn.remoteAddress, p.cidr);
    case 'remote-ip':
      return ipIn(ctx.remoteIp, p.cidr);
    case 'header':
      return header(ctx, p.matcher);
    case 'url-path':
      return urlPath(ctx, p.matcher);
    case 'metadata':
      return matchMetadata(p.matcher, ctx.metadata);
  }
}

/** A policy matches when any permission and any principal match. */
export function matchPolicy(p: RbacPolicy, ctx: RbacContext): boolean {
  return p.permissions.some((x) => matchPermission(x, ctx)) && p.principals.some((x) => matchPrincipal(x, ctx));
}

export interface RbacDecision {
  allowed: boolean;
  /** The first matching policy's name (empty: none matched). */
  policyId: string;
}

/**
 * RoleBasedAccessControlEngineImpl::handleAction: ALLOW allows iff a policy matches (no policies:
 * deny all), DENY denies iff one matches, LOG never denies.
 */
export function evaluateRules(rules: RbacRules, ctx: RbacContext): RbacDecision {
  const matched = rules.policies.find((p) => matchPolicy(p, ctx));
  const policyId = matched?.name ?? '';
  switch (rules.action) {
    case 'ALLOW':
      return { allowed: !!matched, policyId };
    case 'DENY':
      return { allowed: !matched, policyId };
    case 'LOG':
      return { allowed: true, policyId };
  }
}

/** Counters the filter bumps; names are relative to `<prefix>rbac.`. */
export interface RbacCounters {
  inc(stat: string): void;
}

export interface RbacFilterResult {
  allowed: boolean;
  /** The enforced engine's matched policy, for `rbac_access_denied_matched_policy[...]`. */
  policyId: string;
}

/** Envoy's metadata namespace for the HTTP and network RBAC filters' shadow results. */
export const RBAC_HTTP_NAMESPACE = 'envoy.filters.http.rbac';
export const RBAC_NETWORK_NAMESPACE = 'envoy.filters.network.rbac';

/**
 * One RBAC filter (HTTP or network): the shadow engine first (stats `<shadow_prefix>shadow_allowed`
 * / `shadow_denied` and dynamic metadata `<shadow_prefix>shadow_effective_policy_id` /
 * `shadow_engine_result`, which Istio's ext_authz filter keys on), then the enforced engine
 * (`<rules_prefix>allowed` / `denied`). LOG rules set `envoy.common` `access_log_hint`.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rbac_filter#statistics
 */
export function runRbacFilter(cfg: HttpRbacConfig | NetworkRbacConfig, ctx: RbacContext, stats: RbacCounters, namespace: string): RbacFilterResult {
  if (cfg.shadowRules) {
    const shadow = evaluateRules(cfg.shadowRules, ctx);
    const prefix = cfg.shadowRulesStatPrefix;
    stats.inc(`${prefix}${shadow.allowed ? 'shadow_allowed' : 'shadow_denied'}`);
    const fields: Record<string, unknown> = { [`${prefix}shadow_engine_result`]: shadow.allowed ? 'allowed' : 'denied' };
    if (shadow.policyId) fields[`${prefix}shadow_effective_policy_id`] = shadow.policyId;
    setMetadata(ctx.metadata, namespace, fields);
  }
  if (!cfg.rules) return { allowed: true, policyId: '' };
  const d = evaluateRules(cfg.rules, ctx);
  if (cfg.rules.action === 'LOG') setMetadata(ctx.metadata, 'envoy.common', { access_log_hint: d.policyId !== '' });
  const rulesPrefix = 'rulesStatPrefix' in cfg ? cfg.rulesStatPrefix : '';
  stats.inc(`${rulesPrefix}${d.allowed ? 'allowed' : 'denied'}`);
  return d;
}

/** Envoy's response code details for an RBAC denial. */
export function rbacDeniedDetails(policyId: string): string {
  return `rbac_access_denied_matched_policy[${policyId || 'none'}]`;
}
