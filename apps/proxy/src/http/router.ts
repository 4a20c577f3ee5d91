import { type DirectResponseAction, type ForwardAction, type HeaderMutation, type HeaderValueOption, NO_HEADER_MUTATION, type RedirectAction, type WeightedCluster } from '../config/model';
import { corsFilter, pickWeighted, requestHash, type RequestView, type Rng, type RouteTable, splitPath } from '../routing';
import { type UpstreamCluster, mirror } from '../upstream';
import { type Exchange, localReply, writeHead } from './exchange';
import { type FaultCounter, injectFault } from './fault';
import { type HeaderMap, applyMutations } from './headers';
import { ReplayableBody } from './replayable-body';
import type { SecurityStage } from './security-filters';
import { requiresTlsRedirect, tlsRedirectLocation } from './require-tls';
import { splitAuthority } from './request-headers';
import { UpstreamCall } from './upstream-call';
import { type RouteContext, buildUpstreamRequest, mutationLevels } from './upstream-request';

export interface RouterDeps {
  clusters: { get(name: string): UpstreamCluster | undefined };
  rng: Rng;
  /** Most request body bytes kept for retries (Envoy's buffer limit). */
  retryBufferBytes: number;
  faults: FaultCounter;
  /** True for an address one of this proxy's listeners is bound to (pass-through loop guard). */
  isOwnListener: (host: string, port: number) => boolean;
  /** The HCM's security filters (http/security-filters.ts), run before the route is acted on. */
  securityStage?: (x: Exchange) => Promise<SecurityStage>;
}

/**
 * The router filter: route selection, then a direct response, a redirect, or forwarding to a
 * (weighted) cluster. No matching route is a 404 with flag NR.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter
 */
export async function routeRequest(deps: RouterDeps, x: Exchange, table: RouteTable | undefined): Promise<void> {
  // As in Envoy, the route is picked on the headers the filters first see (a filter's header
  // changes re-route only with clear_route_cache), and the filters run whether or not one matched.
  let sel = table?.select(x.view);
  // No await without filters: an async hop per request costs a microtask turn and a promise.
  const stage = deps.securityStage && x.hcm.securityFilters?.length ? await deps.securityStage(x) : 'continue';
  if (stage === 'replied') return;
  if (stage === 'reroute') sel = table?.select(x.view);
  if (requiresTlsRedirect(table?.virtualHostFor(x.view), x.headers)) {
    writeHead(x, 301, { location: tlsRedirectLocation(x.view), 'content-length': '0' });
    return void x.res.end();
  }
  if (!table || !sel) {
    x.info.flags.add('NR');
    x.httpStats.counter('no_route').inc();
    return localReply(x, 404, '');
  }
  x.info.routeName = sel.route.name;
  const rc: RouteContext = { config: table.config, virtualHost: sel.virtualHost, route: sel.route };
  const action = sel.route.action;
  // The fault filter runs before the router; Envoy has already resolved the weighted cluster.
  const fault = x.hcm.fault && (sel.route.fault ?? sel.virtualHost.fault ?? x.hcm.fault);
  if (action.kind === 'forward') {
    const wc = pickWeighted(action.clusters, action.totalWeight, deps.rng);
    if (fault && (await injectFault(x, fault, wc.name, deps.rng, deps.faults))) return;
    // The CORS filter (after the fault filter, Pilot's order); bypassed for direct responses and redirects.
    const cors = x.hcm.cors ? corsFilter([sel.route.cors, sel.virtualHost.cors], x.view, deps.rng) : undefined;
    if (cors?.originValid !== undefined) x.httpStats.counter(cors.originValid ? 'cors.origin_valid' : 'cors.origin_invalid').inc();
    if (cors?.kind === 'preflight') return localReply(x, 200, '', cors.headers);
    return forward(deps, x, rc, action, wc, cors?.kind === 'response' ? cors.headers : undefined);
  }
  if (fault && (await injectFault(x, fault, undefined, deps.rng, deps.faults))) return;
  return action.kind === 'direct' ? directResponse(x, rc, action) : redirect(x, rc, action);
}

function directResponse(x: Exchange, rc: RouteContext, a: DirectResponseAction): void {
  x.httpStats.counter('rq_direct_response').inc();
  const headers: HeaderMap = {};
  applyMutations(headers, [rc.route.headers.response, rc.virtualHost.headers.response, rc.config.headers.response], x.format);
  localReply(x, a.status, a.body ?? '', headers);
}

/** RedirectAction: rebuilds the URL from the request, replacing the parts the action sets. */
function redirect(x: Exchange, rc: RouteContext, a: RedirectAction): void {
  x.httpStats.counter('rq_redirect').inc();
  writeHead(x, a.status, { location: redirectLocation(x.view, rc, a), 'content-length': '0' });
  x.res.end();
}

/** The Location of a redirect: the request's URL with the parts the action sets replaced. */
export function redirectLocation(view: RequestView, rc: RouteContext, a: RedirectAction): string {
  const x = { view };
  const cur = splitAuthority(x.view.authority, x.view.scheme === 'https' ? 443 : 80);
  const scheme = a.scheme ?? x.view.scheme;
  const host = a.host ?? cur.host;
  const port = a.port ?? (a.scheme || a.host ? undefined : cur.port);
  const defaultPort = scheme === 'https' ? 443 : 80;
  const authority = port === undefined || port === defaultPort ? host : `${host}:${port}`;
  const { pathOnly, query } = splitPath(x.view.path);
  const m = rc.route.match.path;
  const rewritten = a.prefixRewrite !== undefined && m.kind !== 'regex' ? a.prefixRewrite + pathOnly.slice(m.value.length) : pathOnly;
  const path = a.path ?? rewritten;
  return `${scheme}://${authority}${path}${a.stripQuery ? '' : query}`;
}

/** Response headers added last: a generated hash cookie, then the CORS filter's (encoded after the router). */
function addedResponseHeaders(setCookie: string | undefined, cors: Record<string, string> | undefined): HeaderMutation {
  if (!setCookie && !cors) return NO_HEADER_MUTATION;
  const add: HeaderValueOption[] = Object.entries(cors ?? {}).map(([key, value]) => ({ key, value, action: 'overwrite-or-add' }));
  if (setCookie) add.unshift({ key: 'set-cookie', value: setCookie, action: 'append' });
  return { add, remove: [] };
}

async function forward(deps: RouterDeps, x: Exchange, rc: RouteContext, action: ForwardAction, wc: WeightedCluster, corsHeaders: Record<string, string> | undefined): Promise<void> {
  x.info.upstreamCluster = wc.name;
  const cluster = deps.clusters.get(wc.name);
  if (!cluster) {
    x.info.flags.add('NC');
    x.httpStats.counter('no_cluster').inc();
    return localReply(x, 503, '');
  }
  const { method, path, authority } = x.view;
  const request = buildUpstreamRequest(rc, action, wc, { method, path, authority, headers: x.headers }, x.format);
  const body = x.hasBody ? new ReplayableBody(x.req, deps.retryBufferBytes) : undefined;
  const destination = cluster.config.type === 'ORIGINAL_DST' ? splitAuthority(authority, x.view.scheme === 'https' ? 443 : 80) : undefined;
  if (destination && deps.isOwnListener(destination.host, destination.port)) {
    // Passing a request through to our own listener would loop until resources run out.
    x.info.flags.add('UF');
    return localReply(x, 503, 'upstream connect error or disconnect/reset before headers. reset reason: request loop to this proxy');
  }
  if (action.mirrors.length) {
    const closed = new Promise<void>((resolve) => x.res.once('close', resolve));
    mirror(deps, action.mirrors, { ...request, timeoutMs: action.timeoutMs, downstream: x.conn, body: async () => (body ? body.copy(closed) : undefined) });
  }
  const hashed = action.hashPolicy.length && (cluster.config.lbPolicy === 'RING_HASH' || cluster.config.lbPolicy === 'MAGLEV');
  const source = hashed ? { ip: x.format('%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'), address: x.format('%DOWNSTREAM_REMOTE_ADDRESS%') } : undefined;
  const { hash, setCookie } = source ? requestHash(action.hashPolicy, x.view, source) : {};
  const responseMutations = mutationLevels(rc, wc, 'response');
  responseMutations.push(addedResponseHeaders(setCookie, corsHeaders));
  try {
    await new UpstreamCall(x, {
      cluster,
      request,
      body,
      timeoutMs: action.timeoutMs,
      retry: action.retry ?? rc.virtualHost.retry,
      responseMutations,
      hash,
      destination,
      rng: deps.rng,
    }).run();
  } finally {
    x.info.bytesReceived = body?.received ?? 0;
  }
}
