import { type HttpConnectionManager, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, GATEWAY_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
`;

const gatewayPolicy = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ingress-deny-admin, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: DENY
  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
`;

const httpFilterNames = (yaml: string): string[] => {
  const lds = generate({ snapshot: bookinfoSnapshot(GATEWAY + yaml), proxy: GATEWAY_PROXY }, TypeUrl.Listener).map((r) => r.body as Listener);
  const hcm = lds[0].filterChains?.[0].filters?.[0].typedConfig as unknown as HttpConnectionManager;
  return (hcm.httpFilters ?? []).map((f) => f.name);
};

describe('gateway listeners and AuthorizationPolicy', () => {
  it('run the authz filters of policies selecting the gateway before fault, CORS and router', () => {
    expect(httpFilterNames(gatewayPolicy)).toEqual(['envoy.filters.http.rbac', 'envoy.filters.http.fault', 'envoy.filters.http.cors', 'envoy.filters.http.router']);
  });

  it('carry none when no policy selects the gateway', () => {
    expect(httpFilterNames('')).toEqual(['envoy.filters.http.fault', 'envoy.filters.http.cors', 'envoy.filters.http.router']);
  });
});
