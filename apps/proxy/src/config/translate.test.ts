import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import * as b from '../testing/xds-builders';
import type { ForwardAction } from './model';
import { clusterResource, endpointResource, listenerResource, routeResource, translateResponse } from './resources';
import { Issues } from './translate/issues';

function errorsOf<B, T>(t: { translate(body: B, issues: Issues): T | undefined }, body: B): string[] {
  const issues = new Issues();
  t.translate(body, issues);
  return issues.errors.map((e) => `${e.path}: ${e.message}`);
}

function valueOf<B, T>(t: { translate(body: B, issues: Issues): T | undefined }, body: B): T {
  const issues = new Issues();
  const v = t.translate(body, issues);
  expect(issues.errors).toEqual([]);
  return v as T;
}

const rc = (routes: xds.Route[], domains = ['*']): xds.RouteConfiguration => b.routeConfiguration('rc', [b.vhost('vh', domains, routes)]);

describe('route configuration translation', () => {
  it('applies Envoy defaults: 15 s timeout, retry defaults, append', () => {
    const v = valueOf(routeResource, rc([{ match: { prefix: '/' }, route: { cluster: 'c', retryPolicy: { retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', retriableStatusCodes: [503] } }, requestHeadersToAdd: [{ header: { key: 'X-A', value: '1' } }] }]));
    const route = v.virtualHosts[0].routes[0];
    const a = route.action as ForwardAction;
    expect(a.timeoutMs).toBe(15_000);
    expect(a.retry).toMatchObject({ numRetries: 1, backoffBaseMs: 25, backoffMaxMs: 250, perTryTimeoutMs: 0 });
    expect([...(a.retry?.retryOn ?? [])]).toEqual(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);
    expect(route.headers.request.add).toEqual([{ key: 'x-a', value: '1', action: 'append' }]);
  });

  it('a zero timeout disables it', () => {
    const v = valueOf(routeResource, rc([b.routeTo('c', { prefix: '/' }, { timeout: { seconds: 0 } })]));
    expect((v.virtualHosts[0].routes[0].action as ForwardAction).timeoutMs).toBe(0);
  });

  it.each<[string, xds.RouteConfiguration, string]>([
    ['bad regex', rc([b.routeTo('c', { safeRegex: { regex: '/a(' } })]), 'virtualHosts[0].routes[0].match.safeRegex.regex: invalid regex'],
    ['lookahead is not RE2', rc([b.routeTo('c', { safeRegex: { regex: '/(?=a)' } })]), 'virtualHosts[0].routes[0].match.safeRegex.regex: regex "/(?=a)" uses lookaround'],
    ['two path specifiers', rc([b.routeTo('c', { prefix: '/', path: '/a' })]), 'virtualHosts[0].routes[0].match: only one of prefix, path may be set'],
    ['no action', rc([{ match: { prefix: '/' } }]), 'virtualHosts[0].routes[0]: exactly one of route, redirect, directResponse is required'],
    ['negative timeout', rc([b.routeTo('c', { prefix: '/' }, { timeout: { seconds: -1 } })]), 'virtualHosts[0].routes[0].route.timeout: invalid duration'],
    ['zero weights', rc([{ match: { prefix: '/' }, route: { weightedClusters: { clusters: [{ name: 'a', weight: { value: 0 } }] } } }]), 'virtualHosts[0].routes[0].route.weightedClusters.clusters: the sum of weights must be greater than zero'],
    ['pseudo-header mutation', rc([{ ...b.routeTo('c'), requestHeadersToAdd: [{ header: { key: ':path', value: '/' } }] }]), 'virtualHosts[0].routes[0].requestHeadersToAdd[0].header.key: header ":path" cannot be modified'],
    ['unknown retry condition', rc([b.routeTo('c', { prefix: '/' }, { retryPolicy: { retryOn: '5xx,bogus' } })]), 'virtualHosts[0].routes[0].route.retryPolicy.retryOn: unsupported retry condition "bogus"'],
    ['bad header regex', rc([b.routeTo('c', { prefix: '/', headers: [{ name: 'x', stringMatch: { safeRegex: { regex: '[' } } }] })]), 'virtualHosts[0].routes[0].match.headers[0].stringMatch.safeRegex.regex: invalid regex'],
    [
      'duplicate domains',
      b.routeConfiguration('rc', [b.vhost('a', ['reviews:9080'], [b.routeTo('c')]), b.vhost('b', ['Reviews:9080'], [b.routeTo('c')])]),
      'virtualHosts[1].domains[0]: domain "reviews:9080" is also in virtual host "a"',
    ],
    ['bad wildcard', rc([b.routeTo('c')], ['a.*.com']), 'virtualHosts[0].domains[0]: invalid domain "a.*.com"'],
  ])('%s', (_name, body, want) => {
    expect(errorsOf(routeResource, body).join('\n')).toContain(want);
  });
});

describe('cluster translation', () => {
  it('reads EDS service name, LB policy and defaults', () => {
    const c = valueOf(clusterResource, b.edsCluster('outbound|9080|v1|reviews.default.svc.cluster.local', { lbPolicy: 'LEAST_REQUEST', connectTimeout: undefined }));
    expect(c).toMatchObject({ type: 'EDS', edsServiceName: 'outbound|9080|v1|reviews.default.svc.cluster.local', lbPolicy: 'LEAST_REQUEST', connectTimeoutMs: 5000, panicThreshold: 0.5 });
    expect(c.circuitBreakers).toEqual({ maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3, trackRemaining: false });
  });

  it('accepts Istio passthrough and black hole clusters', () => {
    expect(valueOf(clusterResource, b.passthroughCluster).type).toBe('ORIGINAL_DST');
    expect(valueOf(clusterResource, b.blackHoleCluster).loadAssignment?.endpoints).toEqual([]);
  });

  it.each<[string, xds.Cluster, string]>([
    ['custom LB policy', b.edsCluster('c', { lbPolicy: 'LOAD_BALANCING_POLICY_CONFIG' }), 'lbPolicy: unsupported load balancing policy LOAD_BALANCING_POLICY_CONFIG'],
    ['ORIGINAL_DST without CLUSTER_PROVIDED', { ...b.passthroughCluster, lbPolicy: 'ROUND_ROBIN' }, 'lbPolicy: an ORIGINAL_DST cluster requires CLUSTER_PROVIDED'],
    ['unknown transport socket', b.edsCluster('c', { transportSocket: { name: 'envoy.transport_sockets.alts', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.alts.v3.Alts' } } }), 'transportSocket: upstream transport socket "envoy.transport_sockets.alts"'],
    ['TLS SAN matchers without a CA', b.edsCluster('c', { transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': TypeUrl.UpstreamTlsContext, commonTlsContext: { validationContext: { matchSubjectAltNames: [{ exact: 'spiffe://x' }] } } } as xds.Any } }), 'transportSocket.typedConfig.commonTlsContext: SAN matchers and certificate pins need a trusted CA'],
    ['static endpoint not an IP', b.staticCluster('c', [['reviews', 80]]), 'loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.address: "reviews" is not an IP address'],
    ['zero connect timeout', b.edsCluster('c', { connectTimeout: { seconds: 0 } }), 'connectTimeout: must be greater than zero'],
  ])('%s', (_name, body, want) => {
    expect(errorsOf(clusterResource, body).join('\n')).toContain(want);
  });
});

describe('endpoint translation', () => {
  it('keeps weights, health and locality', () => {
    const cla = b.assignment('c', [['10.0.0.1', 80, 3], ['10.0.0.2', 80]]);
    cla.endpoints![0].locality = { region: 'us', zone: 'a' };
    cla.endpoints![0].lbEndpoints[1].healthStatus = 'UNHEALTHY';
    expect(valueOf(endpointResource, cla).endpoints).toEqual([
      { host: '10.0.0.1', port: 80, weight: 3, health: 'UNKNOWN', locality: 'us/a', priority: 0, localityWeight: 1 },
      { host: '10.0.0.2', port: 80, weight: 1, health: 'UNHEALTHY', locality: 'us/a', priority: 0, localityWeight: 1 },
    ]);
  });

  it('rejects bad ports with a path', () => {
    expect(errorsOf(endpointResource, b.assignment('c', [['10.0.0.1', 0]]))).toEqual(['endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.portValue: invalid port 0']);
  });
});

describe('listener translation', () => {
  it('reads the address and an RDS HttpConnectionManager', () => {
    const l = valueOf(listenerResource, b.listener('outbound_http_proxy', '127.1.0.5', 15001, { rds: 'http_proxy' }));
    expect(l).toMatchObject({ address: { host: '127.1.0.5', port: 15001 }, bindToPort: true, tlsInspector: false });
    expect(l.filterChains[0].filter).toMatchObject({ kind: 'http', hcm: { statPrefix: 'outbound_http_proxy', codec: 'auto', routes: { kind: 'rds', name: 'http_proxy' }, serverName: 'envoy', generateRequestId: true } });
  });

  it('translates an inline route configuration, with paths into it', () => {
    const l = b.listener('127.1.0.5_9080', '127.1.0.5', 9080, { inline: rc([b.routeTo('inbound|9080||', { prefix: '/', headers: [{ name: 'x', stringMatch: { safeRegex: { regex: '(' } } }] })]) });
    expect(errorsOf(listenerResource, l).join('\n')).toContain('filterChains[0].filters[0].typedConfig.routeConfig.virtualHosts[0].routes[0].match.headers[0].stringMatch.safeRegex.regex');
  });

  it.each<[string, (l: xds.Listener) => void, string]>([
    ['no port', (l) => (l.address!.socketAddress!.portValue = 0), 'address.socketAddress.portValue: invalid port 0'],
    ['router not last', (l) => hcmOf(l).httpFilters!.push({ name: 'envoy.filters.http.fault', typedConfig: { '@type': TypeUrl.HTTPFault } }), 'filterChains[0].filters[0].typedConfig.httpFilters[0]: the router filter must be last'],
    ['unsupported filter', (l) => hcmOf(l).httpFilters!.unshift({ name: 'envoy.filters.http.local_ratelimit', typedConfig: { '@type': TypeUrl.LocalRateLimit } }), 'httpFilters[0]: HTTP filter "envoy.filters.http.local_ratelimit"'],
    ['unsupported network filter', (l) => l.filterChains![0].filters.unshift({ name: 'istio.metadata_exchange', typedConfig: { '@type': 'type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange' } }), 'filterChains[0].filters[0]: network filter "istio.metadata_exchange"'],
    ['network rbac without stat_prefix', (l) => l.filterChains![0].filters.unshift({ name: 'envoy.filters.network.rbac', typedConfig: { '@type': TypeUrl.NetworkRBAC } }), 'filterChains[0].filters[0].typedConfig.statPrefix: is required'],
    ['no terminal filter', (l) => (l.filterChains![0].filters = []), 'filterChains[0].filters: an HttpConnectionManager or TcpProxy filter is required'],
    ['HTTP/3', (l) => (hcmOf(l).codecType = 'HTTP3'), 'filterChains[0].filters[0].typedConfig.codecType: HTTP3 is not supported'],
    ['both rds and routeConfig', (l) => (hcmOf(l).routeConfig = rc([])), 'filterChains[0].filters[0].typedConfig: exactly one of rds, routeConfig is required'],
  ])('%s', (_name, mutate, want) => {
    const l = b.listener('l', '127.0.0.1', 8080, { rds: 'r' });
    mutate(l);
    expect(errorsOf(listenerResource, l).join('\n')).toContain(want);
  });
});

function hcmOf(l: xds.Listener): xds.HttpConnectionManager {
  return l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager;
}

describe('response translation', () => {
  const res = (resources: Array<{ typeUrl: string; body: object }>) => ({ versionInfo: 'v', typeUrl: TypeUrl.Cluster, nonce: 'n', resources: resources.map((r) => ({ typeUrl: r.typeUrl, body: r.body as Record<string, unknown> })) });

  it('names every bad resource in one message', () => {
    const r = translateResponse(clusterResource, res(b.asClusters([b.edsCluster('a', { lbPolicy: 'LOAD_BALANCING_POLICY_CONFIG' }), b.edsCluster('b'), b.edsCluster('b')])), 'wildcard');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('CDS "a": lbPolicy');
      expect(r.error).toContain('CDS "b": duplicate resource name');
    }
  });

  it('skips resources of a named type that were not subscribed', () => {
    const r = translateResponse(endpointResource, { ...res(b.asEndpoints([b.assignment('x', []), b.assignment('y', [])])), typeUrl: TypeUrl.ClusterLoadAssignment }, new Set(['y']));
    expect(r.ok && [...r.value.resources.keys()]).toEqual(['y']);
  });

  it('rejects a resource of the wrong type', () => {
    const r = translateResponse(clusterResource, res(b.asListeners([b.listener('l', '127.0.0.1', 1, { rds: 'r' })])), 'wildcard');
    expect(r.ok).toBe(false);
  });
});
