import type { FilterChainConfig, HeaderMatcher, HttpSecurityFilter, ListenerConfig, PathMatch, Route, RouteAction, StringMatcher } from '../config/model';
import { selectFilterChain } from '../listeners/filter-chain-selector';
import { type RequestView, RouteTable } from '../routing';
import type { ProxyRuntime } from '../runtime';
import { evaluateRules } from '../security/rbac';

/** One request to explain, as `GET /explain?url=...&method=...&header=name:value&listener=...`. */
export interface ExplainQuery {
  url: URL;
  method: string;
  headers: Record<string, string>;
  /** A listener by name; default: the sidecar's HTTP proxy listener, else the one on the URL's port. */
  listener?: string;
  /** The client address the listener would see (default 127.0.0.1). */
  source: string;
  /**
   * The caller's mesh identity (`cluster.local/ns/default/sa/productpage`): the request arrives
   * over mTLS with that SPIFFE ID, as on a sidecar's inbound listener.
   */
  principal?: string;
}

/** One security filter of the chain, as the explanation evaluated it. */
export interface AuthzStep {
  filter: string;
  kind: HttpSecurityFilter['kind'];
  /** RBAC: ALLOW / DENY / LOG; the others are not evaluated (they need a token or a call out). */
  action?: string;
  allowed?: boolean;
  policy?: string;
  note?: string;
}

/** Why a request ends where it ends, step by step, from the live (ACKed) config. */
export interface Explanation {
  request: { method: string; authority: string; path: string; headers: Record<string, string> };
  listener?: string;
  filterChain?: string;
  routeConfig?: string;
  virtualHost?: { name: string; domains: readonly string[] };
  route?: { name?: string; match: string; index: number };
  /** The chain's security filters in order (Istio: CUSTOM, jwt_authn, AUDIT, DENY, ALLOW). */
  authz?: AuthzStep[];
  action?: object;
  clusters?: object[];
  /** One line: what the proxy does with the request. */
  verdict: string;
}

/** Parses the admin query string; errors name the parameter. */
export function parseExplainQuery(params: URLSearchParams): ExplainQuery | string {
  const raw = params.get('url');
  if (!raw) return 'url: required (e.g. url=http://reviews:9080/reviews/0)';
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return `url: "${raw}" is not a URL`;
  }
  const headers: Record<string, string> = {};
  for (const h of params.getAll('header')) {
    const i = h.indexOf(':');
    if (i <= 0) return `header: "${h}" must be name:value`;
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const principal = params.get('principal') ?? undefined;
  return { url, method: (params.get('method') ?? 'GET').toUpperCase(), headers, listener: params.get('listener') ?? undefined, source: params.get('source') ?? '127.0.0.1', principal };
}

const urlPort = (u: URL): number => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);

function pickListener(rt: ProxyRuntime, q: ExplainQuery): ListenerConfig | undefined {
  const all = rt.listeners.all().map((l) => l.config);
  if (q.listener) return all.find((l) => l.name === q.listener);
  return all.find((l) => l.name === 'outbound_http_proxy') ?? all.find((l) => l.address.port === urlPort(q.url));
}

function pickChain(l: ListenerConfig, q: ExplainQuery): FilterChainConfig | undefined {
  const tls = q.url.protocol === 'https:' || q.principal !== undefined;
  return selectFilterChain(
    l.filterChains,
    {
      localAddress: l.address.host,
      localPort: l.address.port === 15001 ? urlPort(q.url) : l.address.port,
      remoteAddress: q.source,
      remotePort: 50000,
      transportProtocol: tls ? 'tls' : 'raw_buffer',
      serverName: q.url.protocol === 'https:' ? q.url.hostname : undefined,
      applicationProtocols: tls ? ['h2', 'http/1.1'] : [],
    },
    l.defaultFilterChain,
  );
}

const str = (m: StringMatcher): string => (m.kind === 'regex' ? `regex ${m.regex.source}` : `${m.kind} "${m.value}"${m.ignoreCase ? ' (ignore case)' : ''}`);
const path = (p: PathMatch): string => (p.kind === 'regex' ? `path regex ${p.regex.source}` : `path ${p.kind} "${p.value}"${p.caseSensitive ? '' : ' (ignore case)'}`);
function header(h: HeaderMatcher): string {
  const m = h.match;
  const what = m.kind === 'string' ? str(m.matcher) : m.kind === 'present' ? (m.present ? 'present' : 'absent') : `in [${m.start}, ${m.end})`;
  return `${h.invert ? 'NOT ' : ''}header ${h.name} ${what}`;
}

/** A route's match in words: `path prefix "/" and header end-user exact "jason"`. */
export function describeMatch(r: Route): string {
  const parts = [path(r.match.path), ...r.match.headers.map(header), ...r.match.query.map((q) => `query ${q.name}${q.matcher ? ` ${str(q.matcher)}` : ' present'}`)];
  return parts.join(' and ');
}

function describeAction(a: RouteAction): object {
  switch (a.kind) {
    case 'direct':
      return { kind: 'direct_response', status: a.status, ...(a.body ? { body: a.body } : {}) };
    case 'redirect':
      return { kind: 'redirect', status: a.status, scheme: a.scheme, host: a.host, port: a.port, path: a.path ?? a.prefixRewrite };
    case 'forward':
      return {
        kind: 'route',
        clusters: a.clusters.map((c) => ({ name: c.name, weight: c.weight, percent: a.totalWeight ? Math.round((1000 * c.weight) / a.totalWeight) / 10 : 0 })),
        timeoutMs: a.timeoutMs,
        ...(a.prefixRewrite !== undefined ? { prefixRewrite: a.prefixRewrite } : {}),
        ...(a.regexRewrite ? { regexRewrite: `${a.regexRewrite.regex.source} -> ${a.regexRewrite.substitution}` } : {}),
        ...(a.hostRewrite ? { hostRewrite: a.hostRewrite } : {}),
        ...(a.retry ? { retry: { numRetries: a.retry.numRetries, retryOn: [...a.retry.retryOn], perTryTimeoutMs: a.retry.perTryTimeoutMs } } : {}),
        ...(a.hashPolicy.length ? { hashPolicy: a.hashPolicy.map((h) => h.kind + ('name' in h ? ` ${h.name}` : '')) } : {}),
        ...(a.mirrors.length ? { mirrors: a.mirrors.map((m) => ({ cluster: m.cluster, percent: m.fraction * 100 })) } : {}),
      };
  }
}

function describeCluster(rt: ProxyRuntime, name: string): object {
  const c = rt.clusters.get(name);
  if (!c) return { name, missing: true };
  const cfg = c.config;
  return {
    name,
    type: cfg.type,
    lbPolicy: cfg.lbPolicy,
    // With transport socket matches (auto mTLS) the endpoint's metadata picks the transport.
    transport: cfg.transportSocketMatches.length ? [...cfg.transportSocketMatches.map((m) => `${m.name}: ${m.transport.name}`), `default: ${cfg.transport.name}`].join(', ') : cfg.transport.name,
    protocol: cfg.protocol,
    circuitBreakers: cfg.circuitBreakers,
    outlierDetection: cfg.outlierDetection !== undefined,
    hosts: c.hosts().map((h) => ({
      address: h.key,
      health: h.endpoint.health,
      ...(h.ejected ? { ejected: true } : {}),
      locality: h.endpoint.locality,
      priority: h.endpoint.priority,
      weight: h.weight,
    })),
  };
}

function verdictOf(a: RouteAction): string {
  switch (a.kind) {
    case 'direct':
      return `answered by the proxy with ${a.status}`;
    case 'redirect':
      return `redirected with ${a.status}`;
    case 'forward':
      return a.clusters.length === 1 ? `forwarded to cluster ${a.clusters[0].name}` : `split over ${a.clusters.map((c) => `${c.name} (${c.weight})`).join(', ')}`;
  }
}

/**
 * Explains a request against the proxy's live config with the proxy's own matching code: the
 * listener and filter chain that accept it, the RBAC decisions of the chain's security filters
 * (with `principal`, as an mTLS caller), the route configuration, virtual host and first matching
 * route (Envoy order), the action, and the target clusters' hosts as the load balancer sees them
 * (health, outlier ejection, locality, priority). Like `istioctl x describe`, but exact.
 */
export function explain(rt: ProxyRuntime, q: ExplainQuery): Explanation {
  const authority = q.url.port ? `${q.url.hostname}:${q.url.port}` : q.url.hostname;
  const request = { method: q.method, authority, path: q.url.pathname + q.url.search, headers: q.headers };
  const out: Explanation = { request, verdict: '' };
  const listener = pickListener(rt, q);
  if (!listener) {
    const names = rt.listeners.all().map((l) => l.config.name);
    return { ...out, verdict: q.listener ? `no listener named ${q.listener} (listeners: ${names.join(', ')})` : `no listener for port ${urlPort(q.url)}: the connection is refused` };
  }
  out.listener = listener.name;
  const chain = pickChain(listener, q);
  if (!chain) return { ...out, verdict: `no filter chain of ${listener.name} matches: the connection is closed` };
  out.filterChain = chain.name;
  if (chain.filter.kind === 'tcp') {
    const clusters = chain.filter.tcp.clusters;
    return { ...out, action: { kind: 'tcp_proxy', clusters }, clusters: clusters.map((c) => describeCluster(rt, c.name)), verdict: `proxied as TCP to ${clusters.map((c) => c.name).join(', ')}` };
  }
  const routes = chain.filter.hcm.routes;
  const table = routes.kind === 'rds' ? rt.routes.get(routes.name) : new RouteTable(routes.config);
  out.routeConfig = routes.kind === 'rds' ? routes.name : `${listener.name} (inline)`;
  if (!table) return { ...out, verdict: `route configuration ${out.routeConfig} is not loaded yet: 404 (NR)` };
  const view: RequestView = { method: q.method, authority, path: request.path, scheme: q.url.protocol.replace(':', ''), headers: { ...q.headers, host: authority } };
  const filters = chain.filter.hcm.securityFilters ?? [];
  if (filters.length) {
    out.authz = authorize(filters, q, listener, view);
    const denied = out.authz.find((a) => a.allowed === false);
    if (denied) return { ...out, verdict: `denied by ${denied.filter} (${denied.action}${denied.policy ? `, policy ${denied.policy}` : ''}): 403 RBAC: access denied` };
  }
  const vh = table.virtualHostFor(view);
  if (!vh) return { ...out, verdict: `no virtual host of ${out.routeConfig} matches ${authority}: 404 (NR)` };
  out.virtualHost = { name: vh.name, domains: vh.domains };
  const selection = table.select(view);
  if (!selection) return { ...out, verdict: `no route of virtual host ${vh.name} matches: 404 (NR)` };
  const { route } = selection;
  out.route = { name: route.name, match: describeMatch(route), index: vh.routes.indexOf(route) };
  out.action = describeAction(route.action);
  if (route.action.kind === 'forward') out.clusters = route.action.clusters.map((c) => describeCluster(rt, c.name));
  const fault = route.fault ?? vh.fault;
  const faultNote = fault ? ` (fault filter: ${[fault.delay ? `${fault.delay.ms} ms delay for ${fault.delay.fraction * 100}%` : '', fault.abort ? `abort ${fault.abort.httpStatus ?? `grpc ${fault.abort.grpcStatus}`} for ${fault.abort.fraction * 100}%` : ''].filter(Boolean).join(', ')})` : '';
  return { ...out, verdict: verdictOf(route.action) + faultNote };
}

/**
 * The RBAC filters' enforced rules against the request and the caller's identity (Envoy's engine,
 * as the filters run it), in chain order; jwt_authn and ext_authz are listed but not evaluated.
 */
function authorize(filters: readonly HttpSecurityFilter[], q: ExplainQuery, l: ListenerConfig, request: RequestView): AuthzStep[] {
  const spiffe = q.principal === undefined ? undefined : q.principal.startsWith('spiffe://') ? q.principal : `spiffe://${q.principal}`;
  const conn = {
    remoteAddress: q.source,
    remotePort: 50000,
    localAddress: l.address.host,
    localPort: l.address.port,
    ...(spiffe ? { tls: { peerCertificatePresented: true, peerUriSans: [spiffe], peerDnsSans: [], localUriSans: [] } } : {}),
  };
  return filters.map((f): AuthzStep => {
    if (f.kind !== 'rbac') return { filter: f.name, kind: f.kind, note: f.kind === 'jwt-authn' ? 'not evaluated: needs the request token' : 'not evaluated: asks an external authorizer' };
    const rules = f.config.rules;
    if (!rules) return { filter: f.name, kind: f.kind, note: 'shadow rules only (never denies)' };
    const d = evaluateRules(rules, { conn, remoteIp: q.source, request, metadata: {} });
    return { filter: f.name, kind: f.kind, action: rules.action, allowed: d.allowed, ...(d.policyId ? { policy: d.policyId } : {}) };
  });
}
