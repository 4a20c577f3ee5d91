import { describe, expect, it } from 'vitest';
import { clusterTable, endpointTable, formatTable, listenerTable, routeTable, secretTable } from './proxy-config-tables';

const dump = {
  configs: [
    {
      '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
      dynamic_active_clusters: [
        { cluster: { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', type: 'EDS' } },
        { cluster: { name: 'PassthroughCluster', type: 'ORIGINAL_DST' } },
      ],
      dynamic_warming_clusters: [{ cluster: { name: 'inbound|9080||', type: 'STATIC' } }],
    },
    {
      '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
      dynamic_listeners: [
        {
          name: '127.1.0.3_9080',
          active_state: {
            listener: {
              address: { socketAddress: { address: '127.1.0.3', portValue: 9080 } },
              filterChains: [
                { filterChainMatch: { transportProtocol: 'tls' }, filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: { rds: { routeConfigName: 'inbound|9080||' } } }] },
                { filterChainMatch: { transportProtocol: 'raw_buffer' }, filters: [{ name: 'envoy.filters.network.tcp_proxy', typedConfig: { cluster: 'inbound|9080||' } }] },
              ],
            },
          },
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
      dynamic_route_configs: [
        {
          route_config: {
            name: 'http_proxy',
            virtualHosts: [
              {
                name: 'reviews.default.svc.cluster.local:9080',
                domains: ['reviews:9080', 'reviews.default:9080', 'reviews.default.svc:9080', 'reviews.default.svc.cluster.local:9080'],
                routes: [
                  { match: { prefix: '/', headers: [{ name: 'end-user' }] }, metadata: { filterMetadata: { istio: { config: '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews' } } } },
                  { match: { path: '/exact' } },
                ],
              },
            ],
          },
        },
      ],
    },
  ],
};

describe('proxy-config tables', () => {
  it('clusters split into Istio name parts, sorted', () => {
    expect(clusterTable(dump)).toEqual([
      ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE'],
      ['', '9080', '-', 'inbound', 'STATIC'],
      ['PassthroughCluster', '-', '-', '-', 'ORIGINAL_DST'],
      ['reviews.default.svc.cluster.local', '9080', 'v1', 'outbound', 'EDS'],
    ]);
  });

  it('listeners: one row per filter chain with its match and destination', () => {
    expect(listenerTable(dump).slice(1)).toEqual([
      ['127.1.0.3', '9080', 'Trans: tls', 'Route: inbound|9080||'],
      ['127.1.0.3', '9080', 'Trans: raw_buffer', 'Cluster: inbound|9080||'],
    ]);
  });

  it('routes: one row per route with the VirtualService that made it', () => {
    expect(routeTable(dump).slice(1)).toEqual([
      ['http_proxy', 'reviews.default.svc.cluster.local:9080', 'reviews:9080,reviews.default:9080,reviews.default.svc:9080,...', '/* (+1 header)', '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews'],
      ['http_proxy', 'reviews.default.svc.cluster.local:9080', 'reviews:9080,reviews.default:9080,reviews.default.svc:9080,...', '/exact', '-'],
    ]);
  });

  it('endpoints with health and outlier status', () => {
    const clusters = { cluster_statuses: [{ name: 'c1', host_statuses: [{ address: { socket_address: { address: '127.1.0.4', port_value: 9080 } }, health_status: { eds_health_status: 'UNKNOWN', failed_outlier_check: true } }] }] };
    expect(endpointTable(clusters).slice(1)).toEqual([['127.1.0.4:9080', 'HEALTHY', 'FAILED', 'c1']]);
  });

  it("secrets from Envoy's /certs", () => {
    const certs = {
      certificates: [
        {
          cert_chain: [{ path: 'default', serial_number: '0a1b', days_until_expiration: '0', valid_from: '2026-11-22T06:00:00Z', expiration_time: '2026-11-23T06:00:00Z' }],
          ca_cert: [{ path: 'ROOTCA', serial_number: 'ff', days_until_expiration: '3650', valid_from: '2026-11-01T00:00:00Z', expiration_time: '2036-11-01T00:00:00Z' }],
        },
      ],
    };
    expect(secretTable(certs).slice(1)).toEqual([
      ['default', 'Cert Chain', 'ACTIVE', 'true', '0a1b', '2026-11-23T06:00:00Z', '2026-11-22T06:00:00Z'],
      ['ROOTCA', 'CA', 'ACTIVE', 'true', 'ff', '2036-11-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    ]);
  });

  it('pads columns', () => {
    expect(formatTable([['A', 'BB'], ['ccc', 'd']])).toBe('A     BB\nccc   d');
  });
});
