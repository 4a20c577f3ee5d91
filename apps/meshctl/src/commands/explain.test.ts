import { describe, expect, it } from 'vitest';
import { renderExplanation } from './explain';

describe('renderExplanation', () => {
  it('prints each step, the target hosts as the load balancer sees them, and the verdict', () => {
    const text = renderExplanation({
      listener: 'outbound_http_proxy',
      filterChain: 'filterChains[0]',
      routeConfig: 'http_proxy',
      virtualHost: { name: 'reviews.default.svc.cluster.local:9080', domains: ['reviews:9080'] },
      route: { name: 'jason', index: 0, match: 'path prefix "/" and header end-user exact "jason"' },
      action: { kind: 'route', clusters: [{ name: 'outbound|9080|v2|reviews', percent: 100 }], timeoutMs: 0, retry: { numRetries: 2, retryOn: ['connect-failure'] } },
      clusters: [
        { name: 'outbound|9080|v2|reviews', lbPolicy: 'ROUND_ROBIN', transport: 'raw_buffer', hosts: [{ address: '127.1.0.5:9080', health: 'HEALTHY', ejected: true, locality: '', priority: 0, weight: 1 }] },
        { name: 'outbound|9080|v3|reviews', missing: true },
      ],
      verdict: 'forwarded to cluster outbound|9080|v2|reviews',
    });
    expect(text.split('\n')).toEqual([
      '  listener      outbound_http_proxy (chain filterChains[0])',
      '  route config  http_proxy',
      '  virtual host  reviews.default.svc.cluster.local:9080 (domains reviews:9080)',
      '  route         #0 "jason": path prefix "/" and header end-user exact "jason"',
      '  action        route -> outbound|9080|v2|reviews 100%; timeout none; 2 retries on connect-failure',
      '  cluster outbound|9080|v2|reviews (ROUND_ROBIN, raw_buffer)',
      '    127.1.0.5:9080         EJECTED  locality=- priority=0 weight=1',
      '  cluster outbound|9080|v3|reviews: NOT LOADED (503 NC)',
      '=> forwarded to cluster outbound|9080|v2|reviews',
    ]);
  });

  it('lists the authorization steps and an RBAC denial', () => {
    const text = renderExplanation({
      listener: '127.1.0.2_9080',
      routeConfig: 'inbound|9080||',
      authz: [
        { filter: 'envoy.filters.http.jwt_authn', kind: 'jwt-authn', note: 'not evaluated: needs the request token' },
        { filter: 'envoy.filters.http.rbac', kind: 'rbac', action: 'ALLOW', allowed: false },
      ],
      verdict: 'denied by envoy.filters.http.rbac (ALLOW): 403 RBAC: access denied',
    });
    expect(text.split('\n')).toEqual([
      '  listener      127.1.0.2_9080',
      '  route config  inbound|9080||',
      '  authz         envoy.filters.http.jwt_authn: not evaluated: needs the request token',
      '  authz         envoy.filters.http.rbac ALLOW: DENIED',
      '=> denied by envoy.filters.http.rbac (ALLOW): 403 RBAC: access denied',
    ]);
  });
});
