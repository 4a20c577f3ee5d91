import type { ProxyNode } from '@mizzen/mesh-model';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../mesh-config';
import { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { proxylessListeners } from './listeners';
import { SERVER_LISTENER_PREFIX, serverListeningAddress } from './server-listener';

const proxy: ProxyNode = { id: 'greeter-v3', type: 'proxyless', ip: '127.0.0.13', namespace: 'default', workloadName: 'greeter-v3', labels: { app: 'greeter' }, serviceAccount: 'default', locality: {}, interceptionMode: 'NONE', inbound: [] };
const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'greeter' } }, ...spec } });

describe('proxyless gRPC server listeners (gRFC A36)', () => {
  it('parses the listening address of the resource name', () => {
    expect(serverListeningAddress(`${SERVER_LISTENER_PREFIX}127.0.0.1:50051`)).toEqual({ address: '127.0.0.1', port: 50051 });
    expect(serverListeningAddress(`${SERVER_LISTENER_PREFIX}[::1]:8080`)).toEqual({ address: '::1', port: 8080 });
    expect(serverListeningAddress(`${SERVER_LISTENER_PREFIX}127.0.0.1:0`)).toBeUndefined();
    expect(serverListeningAddress('greeter.default.svc.cluster.local:50051')).toBeUndefined();
  });

  it('serves the listener with an accept-all route and the workload RBAC (DENY, then ALLOW, uniquely named) before the router', () => {
    const snapshot = MeshSnapshot.build(
      { configs: [policy('deny', { action: 'DENY', rules: [{ when: [{ key: 'request.headers[x-user]', values: ['mallory'] }] }] }), policy('allow-nothing', {})] as never, services: [], workloads: [], mesh: DEFAULT_MESH_CONFIG },
      1,
    );
    const name = `${SERVER_LISTENER_PREFIX}127.0.0.13:50051`;
    const [r] = proxylessListeners.generate({ snapshot, proxy, names: [name] });
    expect(r.typeUrl).toBe(TypeUrl.Listener);
    const l = r.body as { address: unknown; filterChains: Array<{ filters: Array<{ typedConfig: { routeConfig: unknown; httpFilters: Array<{ name: string; typedConfig: { rules?: { action: string } } }> } }> }> };
    expect(l.address).toEqual({ socketAddress: { address: '127.0.0.13', portValue: 50051 } });
    const hcm = l.filterChains[0].filters[0].typedConfig;
    expect(hcm.routeConfig).toEqual({ name: 'inbound', virtualHosts: [{ name: 'inbound', domains: ['*'], routes: [{ match: { prefix: '' }, nonForwardingAction: {} }] }] });
    expect(hcm.httpFilters.map((f) => [f.name, f.typedConfig.rules?.action])).toEqual([
      ['envoy.filters.http.rbac.deny', 'DENY'],
      ['envoy.filters.http.rbac.allow', 'ALLOW'],
      ['envoy.filters.http.router', undefined],
    ]);
  });
});
