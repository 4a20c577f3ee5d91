import type * as xds from '@mizzen/xds-types';
import { TypeUrl, toAny } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import * as b from '../testing/xds-builders';
import type { ForwardAction } from './model';
import { clusterResource, endpointResource, routeResource } from './resources';
import { Issues } from './translate/issues';

function run<B, T>(t: { translate(body: B, issues: Issues): T | undefined }, body: B): { value: T | undefined; errors: string[]; warnings: string[] } {
  const issues = new Issues();
  const value = t.translate(body, issues);
  const fmt = (l: typeof issues.errors): string[] => l.map((e) => `${e.path}: ${e.message}`);
  return { value, errors: fmt(issues.errors), warnings: fmt(issues.warnings) };
}

const MAX = 4294967295;

describe('cluster resilience fields (as Pilot sends them)', () => {
  it('reads circuit breakers, outlier detection, panic threshold and locality weighting', () => {
    const { value, errors } = run(
      clusterResource,
      b.edsCluster('c', {
        circuitBreakers: { thresholds: [{ maxConnections: { value: 1 }, maxPendingRequests: { value: 1 }, maxRequests: { value: MAX }, maxRetries: { value: MAX }, trackRemaining: true }] },
        maxRequestsPerConnection: { value: 10 },
        outlierDetection: { consecutive_5xx: { value: 2 }, enforcingConsecutive_5xx: { value: 100 }, interval: { seconds: 1 }, baseEjectionTime: { seconds: 30 }, maxEjectionPercent: { value: 50 } },
        commonLbConfig: { healthyPanicThreshold: { value: 20 }, localityWeightedLbConfig: {} },
      }),
    );
    expect(errors).toEqual([]);
    expect(value).toMatchObject({
      circuitBreakers: { maxConnections: 1, maxPendingRequests: 1, maxRequests: MAX, maxRetries: MAX, trackRemaining: true },
      maxRequestsPerConnection: 10,
      panicThreshold: 0.2,
      localityWeighted: true,
      outlierDetection: { consecutive5xx: 2, enforcingConsecutive5xx: 100, intervalMs: 1000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50, consecutiveGatewayFailure: 5, enforcingConsecutiveGatewayFailure: 0, maxEjectionTimeMs: 300_000 },
    });
  });

  it('accepts RING_HASH and MAGLEV with their configs', () => {
    expect(run(clusterResource, b.edsCluster('c', { lbPolicy: 'RING_HASH', ringHashLbConfig: { minimumRingSize: { value: 64 } } })).value?.hashLb.minimumRingSize).toBe(64);
    expect(run(clusterResource, b.edsCluster('c', { lbPolicy: 'MAGLEV', maglevLbConfig: { tableSize: { value: 5 } } })).value?.hashLb.tableSize).toBe(5);
  });

  it.each<[string, Partial<xds.Cluster>, string]>([
    ['maglev table size not prime', { lbPolicy: 'MAGLEV', maglevLbConfig: { tableSize: { value: 100 } } }, 'maglevLbConfig.tableSize: 100 must be a prime no larger than 5000011'],
    ['ring config without RING_HASH', { ringHashLbConfig: { minimumRingSize: { value: 8 } } }, 'ringHashLbConfig: requires lbPolicy RING_HASH'],
    ['murmur', { lbPolicy: 'RING_HASH', ringHashLbConfig: { hashFunction: 'MURMUR_HASH_2' } }, 'ringHashLbConfig.hashFunction: only XX_HASH is supported'],
    ['max ejection time below base', { outlierDetection: { baseEjectionTime: { seconds: 10 }, maxEjectionTime: { seconds: 5 } } }, 'outlierDetection.maxEjectionTime: cannot be smaller than baseEjectionTime'],
    ['percentage over 100', { outlierDetection: { maxEjectionPercent: { value: 101 } } }, 'outlierDetection.maxEjectionPercent: 101 is not a percentage in [0, 100]'],
    ['per-host thresholds', { circuitBreakers: { perHostThresholds: [{ maxConnections: { value: 1 } }] } }, 'circuitBreakers.perHostThresholds: per-host circuit breakers are not supported'],
  ])('rejects %s', (_n, extra, want) => {
    expect(run(clusterResource, b.edsCluster('c', extra)).errors).toContain(want);
  });

  it('reads connection pool settings: requests per connection, idle timeout, max connection duration, TCP keepalive', () => {
    const opts = toAny(TypeUrl.HttpProtocolOptions, { commonHttpProtocolOptions: { idleTimeout: { seconds: 30 }, maxConnectionDuration: { seconds: 60 }, maxRequestsPerConnection: { value: 5 } } });
    const { value, warnings } = run(clusterResource, b.edsCluster('c', { typedExtensionProtocolOptions: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': opts }, upstreamConnectionOptions: { tcpKeepalive: { keepaliveTime: { value: 10 } } } }));
    expect(value).toMatchObject({ idleTimeoutMs: 30_000, maxConnectionDurationMs: 60_000, tcpKeepaliveMs: 10_000, maxRequestsPerConnection: 5 });
    expect(warnings.join()).not.toContain('maxConnectionDuration');
  });

  it('warns about success-rate outlier detection', () => {
    expect(run(clusterResource, b.edsCluster('c', { outlierDetection: { successRateMinimumHosts: { value: 3 } } })).warnings.join()).toContain('success-rate');
  });
});

describe('endpoint priorities and locality weights', () => {
  it('keeps priority, locality weight and the overprovisioning factor', () => {
    const cla: xds.ClusterLoadAssignment = {
      clusterName: 'c',
      endpoints: [
        { locality: { region: 'r1', zone: 'z1' }, loadBalancingWeight: { value: 80 }, priority: 0, lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.1', portValue: 80 } } } }] },
        { locality: { region: 'r2' }, loadBalancingWeight: { value: 20 }, priority: 1, lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.2', portValue: 80 } } } }] },
      ],
      policy: { overprovisioningFactor: { value: 200 } },
    };
    const { value } = run(endpointResource, cla);
    expect(value?.overprovisioningFactor).toBe(2);
    expect(value?.endpoints.map((e) => [e.locality, e.priority, e.localityWeight])).toEqual([
      ['r1/z1', 0, 80],
      ['r2', 1, 20],
    ]);
    expect(run(endpointResource, b.assignment('c', [])).value?.overprovisioningFactor).toBe(1.4);
  });
});

describe('route hash, mirror and CORS policies', () => {
  const corsAny = toAny(TypeUrl.CorsPolicy, { allowOriginStringMatch: [{ exact: 'https://a.example' }], allowMethods: 'GET,POST', maxAge: '60', allowCredentials: { value: true } });
  const rc: xds.RouteConfiguration = {
    name: 'rc',
    virtualHosts: [
      {
        name: 'vh',
        domains: ['*'],
        typedPerFilterConfig: { 'envoy.filters.http.cors': corsAny },
        requestMirrorPolicies: [{ cluster: 'vh-mirror' }],
        routes: [
          {
            match: { prefix: '/' },
            route: {
              cluster: 'c',
              hashPolicy: [{ header: { headerName: 'X-User' } }, { cookie: { name: 'sticky', ttl: { seconds: 60 }, path: '/' }, terminal: true }, { connectionProperties: { sourceIp: true } }, { queryParameter: { name: 'u' } }],
              requestMirrorPolicies: [{ cluster: 'shadow', runtimeFraction: { defaultValue: { numerator: 25, denominator: 'HUNDRED' } } }],
            },
            typedPerFilterConfig: { 'envoy.filters.http.cors': toAny(TypeUrl.CorsPolicy, { exposeHeaders: 'x-id', filterEnabled: { defaultValue: { numerator: 50 } } }) },
          },
          { match: { prefix: '/other' }, route: { cluster: 'c' } },
        ],
      },
    ],
  };

  it('translates them', () => {
    const { value, errors, warnings } = run(routeResource, rc);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const vh = value?.virtualHosts[0];
    const a = vh?.routes[0].action as ForwardAction;
    expect(a.hashPolicy).toEqual([
      { kind: 'header', name: 'x-user', rewrite: undefined, terminal: false },
      { kind: 'cookie', name: 'sticky', ttlMs: 60_000, path: '/', terminal: true },
      { kind: 'source-ip', terminal: false },
      { kind: 'query', name: 'u', terminal: false },
    ]);
    expect(a.mirrors).toEqual([{ cluster: 'shadow', fraction: 0.25 }]);
    expect((vh?.routes[1].action as ForwardAction).mirrors).toEqual([{ cluster: 'vh-mirror', fraction: 1 }]);
    expect(vh?.cors).toMatchObject({ allowOrigins: [{ kind: 'exact', value: 'https://a.example' }], allowMethods: 'GET,POST', maxAge: '60', allowCredentials: true, enabled: 1 });
    expect(vh?.routes[0].cors).toMatchObject({ exposeHeaders: 'x-id', allowOrigins: [], enabled: 0.5 });
  });

  it('rejects filter-state hashing and a bad max age', () => {
    const bad = structuredClone(rc);
    const route = bad.virtualHosts?.[0].routes[0].route as xds.RouteAction;
    route.hashPolicy = [{ filterState: { key: 'k' } }];
    bad.virtualHosts![0].typedPerFilterConfig = { 'envoy.filters.http.cors': toAny(TypeUrl.CorsPolicy, { maxAge: '1h' }) };
    expect(run(routeResource, bad).errors).toEqual([
      'virtualHosts[0].routes[0].route.hashPolicy[0].filterState: filter state hashing is not supported',
      'virtualHosts[0].typedPerFilterConfig.envoy.filters.http.cors.maxAge: "1h" is not a number of seconds',
    ]);
  });
});
