import { TypeUrl } from '@mizzen/xds-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../agent/agent';
import { parseAgentOptions } from '../agent/options';
import { FakeControlPlane } from '../testing/fake-control-plane';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import { waitUntil } from '../testing/wait';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.70';
const CLUSTER = 'outbound|9080||ratings.default.svc.cluster.local';

describe('admin interface', () => {
  const cp = new FakeControlPlane();
  let agent: Agent;
  let upstream: TestUpstream;
  let admin: { host: string; port: number };

  beforeAll(async () => {
    await cp.start();
    upstream = await startUpstream('ratings', '127.0.0.71');
    const opts = parseAgentOptions({ ip: IP, pilot: cp.address, adminPort: '0', accessLog: 'off', workload: 'reviews-v1' });
    if (!opts.ok) throw new Error(JSON.stringify(opts.errors));
    agent = new Agent(opts.value, { log: () => undefined });
    await agent.start();
    admin = { host: IP, port: agent.adminPort() };
    await cp.nextRequest(() => true, 5000, true);
  });

  afterAll(async () => {
    await agent.stop();
    await cp.stop();
    await upstream.close();
  });

  it('/ready is 503 until the initial config is applied, then 200 LIVE', async () => {
    expect((await request(admin, { path: '/ready' })).status).toBe(503);
    cp.serveResources([
      ...b.asClusters([b.edsCluster(CLUSTER)]),
      ...b.asEndpoints([b.assignment(CLUSTER, [[upstream.host, upstream.port]])]),
      ...b.asListeners([b.listener('outbound_http_proxy', IP, 15001, { rds: 'http_proxy' })]),
      ...b.asRoutes([b.routeConfiguration('http_proxy', [b.vhost('ratings', ['ratings:9080'], [b.routeTo(CLUSTER)])])]),
    ]);
    await waitUntil(() => agent.ready);
    const res = await request(admin, { path: '/ready' });
    expect(res).toMatchObject({ status: 200, body: 'LIVE\n' });
  });

  it('/config_dump lists the ACKed resources per type with versions (EDS with ?include_eds)', async () => {
    const dump = JSON.parse((await request(admin, { path: '/config_dump?include_eds' })).body) as { configs: Array<Record<string, unknown>> };
    const byType = Object.fromEntries(dump.configs.map((c) => [String(c['@type']).split('.').pop(), c]));
    expect(byType.ClustersConfigDump).toMatchObject({ version_info: 'v1', dynamic_active_clusters: [{ version_info: 'v1', cluster: { '@type': TypeUrl.Cluster, name: CLUSTER } }] });
    expect(byType.ListenersConfigDump).toMatchObject({ version_info: 'v1', dynamic_listeners: [{ name: 'outbound_http_proxy', active_state: { version_info: 'v1' } }] });
    expect(byType.RoutesConfigDump).toMatchObject({ dynamic_route_configs: [{ route_config: { name: 'http_proxy' } }] });
    expect(byType.EndpointsConfigDump).toMatchObject({ dynamic_endpoint_configs: [{ endpoint_config: { clusterName: CLUSTER } }] });
    expect((byType.BootstrapConfigDump as { bootstrap: { node: { id: string } } }).bootstrap.node.id).toContain('reviews-v1');
  });

  it('/stats and /stats/prometheus count requests per cluster and xDS updates', async () => {
    for (let i = 0; i < 3; i++) await request({ host: IP, port: 15001 }, { path: '/ratings/0', headers: { host: 'ratings:9080' } });
    const text = (await request(admin, { path: '/stats' })).body;
    expect(text).toContain(`cluster.${CLUSTER}.upstream_rq_200: 3`);
    expect(text).toContain('cluster_manager.cds.update_success: 1');
    expect(text).toContain('control_plane.connected_state: 1');
    const prom = (await request(admin, { path: '/stats/prometheus' })).body;
    expect(prom).toContain(`envoy_cluster_upstream_rq{envoy_response_code="200",envoy_cluster_name="${CLUSTER}"} 3`);
    expect(prom).toContain(`envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",envoy_cluster_name="${CLUSTER}"} 3`);
    expect(prom).toContain('# TYPE envoy_cluster_manager_cds_update_success counter');
    expect((await request(admin, { path: '/stats?filter=cds' })).body).not.toContain('upstream_rq');
  });

  it('/clusters shows endpoints with health and counters', async () => {
    const text = (await request(admin, { path: '/clusters' })).body;
    expect(text).toContain(`${CLUSTER}::${upstream.host}:${upstream.port}::health_flags::healthy`);
    expect(text).toContain(`${CLUSTER}::${upstream.host}:${upstream.port}::rq_total::3`);
    const json = JSON.parse((await request(admin, { path: '/clusters?format=json' })).body) as { cluster_statuses: Array<{ name: string }> };
    expect(json.cluster_statuses.map((c) => c.name)).toEqual([CLUSTER]);
  });

  it('/listeners lists bound listeners', async () => {
    expect((await request(admin, { path: '/listeners' })).body).toBe(`outbound_http_proxy::${IP}:15001\n`);
  });

  it('/memory reports Envoy\'s fields and the process\'s split of its resident memory', async () => {
    const m = JSON.parse((await request(admin, { path: '/memory' })).body) as { allocated: string; heap_size: string; total_physical_bytes: string; node: { rss: number; v8_heap_used: number; external: number; heap_spaces: Record<string, { used: number }> } };
    expect(Number(m.total_physical_bytes)).toBe(m.node.rss);
    expect(Number(m.allocated)).toBe(m.node.v8_heap_used + m.node.external);
    expect(Number(m.heap_size)).toBeGreaterThanOrEqual(m.node.v8_heap_used);
    expect(m.node.heap_spaces.old_space.used).toBeGreaterThan(0);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await request(admin, { path: '/nope' })).status).toBe(404);
  });
});
