import type * as xds from '@mizzen/xds-types';
import type { DirectResponseAction, ForwardAction, MirrorPolicy, PathMatch, RedirectAction, RetryPolicy, WeightedCluster } from '../model';
import { NO_HEADER_MUTATIONS } from '../model';
import { hashPolicies, mirrorPolicies } from './hash-policy';
import { type Issues, at } from './issues';
import { compileRe2, durationMs, headerMutations } from './primitives';
import { retryPolicy } from './retry-policy';

/** Envoy's default route timeout. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

/** RE2 substitutions use `\1`; JS replacement strings use `$1` (and `$` must be escaped). */
function jsSubstitution(s: string): string {
  return s.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

function weightedClusters(w: xds.WeightedCluster, path: string, issues: Issues): WeightedCluster[] {
  if (!w.clusters?.length) issues.error(at(path, 'clusters'), 'at least one cluster is required');
  if (w.headerName) issues.error(at(path, 'headerName'), 'weights from a header are not supported');
  const out = (w.clusters ?? []).map((c, i): WeightedCluster => {
    const p = at(at(path, 'clusters'), i);
    if (!c.name) issues.error(at(p, 'name'), 'cluster name is required');
    if (c.hostRewriteLiteral) issues.error(at(p, 'hostRewriteLiteral'), 'per-cluster host rewrite is not supported');
    return { name: c.name, weight: c.weight?.value ?? 0, headers: headerMutations(c, p, issues) };
  });
  const total = out.reduce((n, c) => n + c.weight, 0);
  if (total <= 0) issues.error(at(path, 'clusters'), 'the sum of weights must be greater than zero');
  if (w.totalWeight && w.totalWeight.value !== total) issues.error(at(path, 'totalWeight'), `is ${w.totalWeight.value} but the weights sum to ${total}`);
  return out;
}

function clusters(a: xds.RouteAction, path: string, issues: Issues): WeightedCluster[] {
  const specifiers = [a.cluster, a.weightedClusters, a.clusterHeader].filter((v) => v !== undefined);
  if (specifiers.length !== 1) {
    issues.error(path, 'exactly one of cluster, weightedClusters, clusterHeader is required');
    return [];
  }
  if (a.clusterHeader !== undefined) {
    issues.error(at(path, 'clusterHeader'), 'cluster_header is not supported');
    return [];
  }
  if (a.weightedClusters) return weightedClusters(a.weightedClusters, at(path, 'weightedClusters'), issues);
  if (!a.cluster) issues.error(at(path, 'cluster'), 'cluster name is required');
  return [{ name: a.cluster ?? '', weight: 1, headers: NO_HEADER_MUTATIONS }];
}

/** Route action fields that change behaviour we do not implement: reject rather than ignore. */
function rejectUnsupported(a: xds.RouteAction, path: string, issues: Issues): void {
  if (a.autoHostRewrite?.value) issues.error(at(path, 'autoHostRewrite'), 'auto host rewrite is not supported');
  if (a.hostRewriteHeader) issues.error(at(path, 'hostRewriteHeader'), 'host rewrite from a header is not supported');
}

/**
 * RouteAction: target clusters, timeout (default 15 s, 0 disables), rewrites, retry policy, hash
 * policies, request mirror policies (the route's, else the virtual host's).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction
 */
export function forwardAction(a: xds.RouteAction, match: PathMatch | undefined, path: string, issues: Issues, vhostRetry?: RetryPolicy, vhostMirrors: readonly MirrorPolicy[] = []): ForwardAction {
  rejectUnsupported(a, path, issues);
  const cs = clusters(a, path, issues);
  if (a.prefixRewrite !== undefined && a.regexRewrite) issues.error(path, 'prefixRewrite and regexRewrite are mutually exclusive');
  if (a.prefixRewrite !== undefined && match?.kind === 'regex') issues.error(at(path, 'prefixRewrite'), 'cannot be used with a safeRegex match');
  let regexRewrite: ForwardAction['regexRewrite'];
  if (a.regexRewrite) {
    const regex = compileRe2(a.regexRewrite.pattern?.regex ?? '', at(path, 'regexRewrite.pattern.regex'), issues, false);
    if (regex) regexRewrite = { regex, substitution: jsSubstitution(a.regexRewrite.substitution ?? '') };
  }
  return {
    kind: 'forward',
    clusters: cs,
    totalWeight: cs.reduce((n, c) => n + c.weight, 0),
    timeoutMs: durationMs(a.timeout, at(path, 'timeout'), issues, DEFAULT_ROUTE_TIMEOUT_MS),
    prefixRewrite: a.prefixRewrite,
    regexRewrite,
    hostRewrite: a.hostRewriteLiteral || undefined,
    retry: a.retryPolicy ? retryPolicy(a.retryPolicy, at(path, 'retryPolicy'), issues) : vhostRetry,
    hashPolicy: hashPolicies(a.hashPolicy, path, issues),
    mirrors: a.requestMirrorPolicies?.length ? mirrorPolicies(a.requestMirrorPolicies, path, issues) : vhostMirrors,
  };
}

const REDIRECT_CODES: Record<xds.RedirectResponseCode, number> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

/** RedirectAction (default 301). */
export function redirectAction(r: xds.RedirectAction, path: string, issues: Issues): RedirectAction {
  if (r.regexRewrite) issues.error(at(path, 'regexRewrite'), 'regex rewrite in redirects is not supported');
  if (r.pathRedirect !== undefined && r.prefixRewrite !== undefined) issues.error(path, 'pathRedirect and prefixRewrite are mutually exclusive');
  if (r.httpsRedirect && r.schemeRedirect) issues.error(path, 'httpsRedirect and schemeRedirect are mutually exclusive');
  return {
    kind: 'redirect',
    status: REDIRECT_CODES[r.responseCode ?? 'MOVED_PERMANENTLY'],
    scheme: r.httpsRedirect ? 'https' : r.schemeRedirect || undefined,
    host: r.hostRedirect || undefined,
    port: r.portRedirect || undefined,
    path: r.pathRedirect,
    prefixRewrite: r.prefixRewrite,
    stripQuery: r.stripQuery ?? false,
  };
}

/** DirectResponseAction: status in [200, 600) as Envoy requires, body inline only. */
export function directResponse(d: xds.DirectResponseAction, path: string, issues: Issues): DirectResponseAction {
  if (!(d.status >= 200 && d.status < 600)) issues.error(at(path, 'status'), `status ${d.status} must be in [200, 600)`);
  const b = d.body;
  if (b?.filename || b?.environmentVariable) issues.error(at(path, 'body'), 'only inline bodies are supported');
  const body = b?.inlineString ?? (b?.inlineBytes ? Buffer.from(b.inlineBytes, 'base64').toString('utf8') : undefined);
  return { kind: 'direct', status: d.status, body };
}
