import type * as xds from '@mizzen/xds-types';
import { statusCode } from '../../security/ext-authz/http-status';
import type { ExtAuthzConfig, ExtAuthzService, StringMatcher } from '../model';
import { fractionOf } from './hash-policy';
import { type Issues, at } from './issues';
import { durationMs, stringMatcher } from './primitives';
import { metadataMatcher, onlyFields } from './rbac';

type Body = Record<string, unknown>;

/** Envoy's ext_authz default call timeout when the gRPC service sets none. */
const DEFAULT_TIMEOUT_MS = 200;

/** envoy.type.matcher.v3.ListStringMatcher. */
function listMatcher(l: unknown, path: string, issues: Issues): StringMatcher[] {
  if (l === undefined) return [];
  onlyFields(l as object, ['patterns'], path, issues);
  const out: StringMatcher[] = [];
  ((l as { patterns?: xds.StringMatcher[] }).patterns ?? []).forEach((m, i) => {
    const v = stringMatcher(m, at(at(path, 'patterns'), i), issues);
    if (v) out.push(v);
  });
  return out;
}

function httpService(h: Body, path: string, issues: Issues): ExtAuthzService {
  onlyFields(h, ['serverUri', 'pathPrefix', 'authorizationRequest', 'authorizationResponse'], path, issues);
  const uri = (h.serverUri ?? {}) as { uri?: string; cluster?: string; timeout?: xds.Duration };
  onlyFields(uri, ['uri', 'cluster', 'timeout'], at(path, 'serverUri'), issues);
  if (!uri.uri) issues.error(at(path, 'serverUri.uri'), 'is required');
  if (!uri.cluster) issues.error(at(path, 'serverUri.cluster'), 'is required');
  if (!uri.timeout) issues.error(at(path, 'serverUri.timeout'), 'is required');
  const prefix = (h.pathPrefix as string | undefined) ?? '';
  if (prefix && !prefix.startsWith('/')) issues.error(at(path, 'pathPrefix'), 'must start with "/"');
  const req = (h.authorizationRequest ?? {}) as { allowedHeaders?: unknown; headersToAdd?: Array<{ key?: string; value?: string }> };
  const rp = at(path, 'authorizationRequest');
  onlyFields(req, ['allowedHeaders', 'headersToAdd'], rp, issues);
  const res = (h.authorizationResponse ?? {}) as Body;
  const sp = at(path, 'authorizationResponse');
  onlyFields(res, ['allowedUpstreamHeaders', 'allowedUpstreamHeadersToAppend', 'allowedClientHeaders'], sp, issues);
  return {
    kind: 'http',
    uri: uri.uri ?? '',
    cluster: uri.cluster ?? '',
    timeoutMs: durationMs(uri.timeout, at(path, 'serverUri.timeout'), issues, DEFAULT_TIMEOUT_MS),
    pathPrefix: prefix,
    allowedHeaders: listMatcher(req.allowedHeaders, at(rp, 'allowedHeaders'), issues),
    headersToAdd: (req.headersToAdd ?? []).map((x, i) => {
      if (!x.key) issues.error(at(at(at(rp, 'headersToAdd'), i), 'key'), 'is required');
      return { key: (x.key ?? '').toLowerCase(), value: x.value ?? '' };
    }),
    allowedUpstreamHeaders: listMatcher(res.allowedUpstreamHeaders, at(sp, 'allowedUpstreamHeaders'), issues),
    allowedUpstreamHeadersToAppend: listMatcher(res.allowedUpstreamHeadersToAppend, at(sp, 'allowedUpstreamHeadersToAppend'), issues),
    allowedClientHeaders: listMatcher(res.allowedClientHeaders, at(sp, 'allowedClientHeaders'), issues),
  };
}

function grpcService(g: Body, path: string, issues: Issues): ExtAuthzService {
  onlyFields(g, ['envoyGrpc', 'timeout'], path, issues);
  if (!g.envoyGrpc) issues.error(at(path, 'envoyGrpc'), 'is required (googleGrpc is not supported)');
  const e = (g.envoyGrpc ?? {}) as { clusterName?: string; authority?: string };
  onlyFields(e, ['clusterName', 'authority'], at(path, 'envoyGrpc'), issues);
  if (!e.clusterName) issues.error(at(path, 'envoyGrpc.clusterName'), 'is required');
  return { kind: 'grpc', cluster: e.clusterName ?? '', authority: e.authority || undefined, timeoutMs: durationMs(g.timeout as xds.Duration | undefined, at(path, 'timeout'), issues, DEFAULT_TIMEOUT_MS) };
}

const FIELDS = [
  'grpcService',
  'httpService',
  'transportApiVersion',
  'failureModeAllow',
  'failureModeAllowHeaderAdd',
  'clearRouteCache',
  'statusOnError',
  'metadataContextNamespaces',
  'filterEnabled',
  'filterEnabledMetadata',
  'statPrefix',
];

/**
 * envoy.extensions.filters.http.ext_authz.v3.ExtAuthz with an HTTP or (Envoy) gRPC authorization
 * service, as Istio generates it for CUSTOM AuthorizationPolicies. Request bodies, peer
 * certificates, per-route settings and the rest are rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/ext_authz/v3/ext_authz.proto
 */
export function extAuthz(b: Body, path: string, issues: Issues): ExtAuthzConfig {
  onlyFields(b, FIELDS, path, issues);
  if ((b.grpcService === undefined) === (b.httpService === undefined)) issues.error(path, 'exactly one of grpcService, httpService is required');
  const api = b.transportApiVersion ?? 'V3';
  if (api !== 'V3' && api !== 'AUTO') issues.error(at(path, 'transportApiVersion'), `${String(api)} is not supported (V3)`);
  const service = b.grpcService ? grpcService(b.grpcService as Body, at(path, 'grpcService'), issues) : httpService((b.httpService ?? {}) as Body, at(path, 'httpService'), issues);
  const soe = b.statusOnError as { code?: unknown } | undefined;
  const status = soe?.code === undefined ? 403 : statusCode(soe.code);
  if (status === undefined) issues.error(at(path, 'statusOnError.code'), `unknown status ${String(soe?.code)}`);
  const fe = b.filterEnabled as xds.RuntimeFractionalPercent | undefined;
  if (fe?.runtimeKey) issues.warn(at(path, 'filterEnabled.runtimeKey'), 'runtime keys are not supported; the default value applies');
  return {
    service,
    failureModeAllow: b.failureModeAllow === true,
    failureModeAllowHeaderAdd: b.failureModeAllowHeaderAdd === true,
    // HttpStatus Empty (0) means the default, 403.
    statusOnError: status || 403,
    filterEnabledMetadata: b.filterEnabledMetadata ? metadataMatcher(b.filterEnabledMetadata as Body, at(path, 'filterEnabledMetadata'), issues) : undefined,
    filterEnabled: fe ? fractionOf(fe.defaultValue) : 1,
    clearRouteCache: b.clearRouteCache === true,
    metadataContextNamespaces: (b.metadataContextNamespaces as string[] | undefined) ?? [],
    statPrefix: (b.statPrefix as string | undefined) ?? '',
  };
}
