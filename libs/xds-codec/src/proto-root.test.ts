import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTO_FILES } from './proto-files';
import { findType, loadRootVia, loadStats, parseProtos, preloadProtos, protoRoot } from './proto-root';

describe('proto loading', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-codec-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads once and reports how', () => {
    const stats = preloadProtos();
    expect(['protos', 'cache']).toContain(stats.source);
    expect(stats.ms).toBeGreaterThan(0);
    expect(protoRoot()).toBe(protoRoot());
    expect(loadStats()).toEqual(stats);
    console.info(`xds-codec: protos loaded from ${stats.source} in ${stats.ms.toFixed(0)} ms`);
  });

  it('loads every message type Mizzen needs, including later filters', () => {
    for (const name of [
      'envoy.service.discovery.v3.DiscoveryRequest',
      'envoy.service.discovery.v3.DeltaDiscoveryResponse',
      'envoy.config.listener.v3.Listener',
      'envoy.config.route.v3.RouteConfiguration',
      'envoy.config.cluster.v3.Cluster',
      'envoy.config.endpoint.v3.ClusterLoadAssignment',
      'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
      'envoy.extensions.filters.http.router.v3.Router',
      'envoy.extensions.filters.http.fault.v3.HTTPFault',
      'envoy.extensions.filters.http.rbac.v3.RBAC',
      'envoy.extensions.filters.http.rbac.v3.RBACPerRoute',
      'envoy.extensions.filters.network.rbac.v3.RBAC',
      'envoy.extensions.filters.http.cors.v3.Cors',
      'envoy.extensions.filters.http.ext_authz.v3.ExtAuthz',
      'envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
      'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
      'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
      'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      'envoy.extensions.clusters.aggregate.v3.ClusterConfig',
      'envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash',
      'xds.type.v3.TypedStruct',
      'google.rpc.Status',
    ]) {
      expect(findType(`type.googleapis.com/${name}`), name).toBeDefined();
    }
    expect(findType('type.googleapis.com/envoy.nope.Nope')).toBeUndefined();
  });

  it('the JSON descriptor cache is equivalent to parsing, and a corrupt cache is replaced', () => {
    const file = path.join(dir, 'descriptor.json');
    fs.writeFileSync(file, '{ not json');
    const first = loadRootVia(file);
    expect(first.source).toBe('protos');
    const second = loadRootVia(file);
    expect(second.source).toBe('cache');
    // Enum value options (deprecated / disallowed annotations) do not survive protobufjs's JSON
    // round trip, and a package's file options (java_package, go_package, ...) depend on which
    // file protobufjs saw first (a process that loaded @grpc/proto-loader has google.protobuf
    // already): neither plays a part in encoding. Everything else must be identical.
    const withoutValueOptions = (r: { toJSON(): object }): unknown =>
      JSON.parse(
        JSON.stringify(r.toJSON(), (k, v: unknown) => {
          if (k === 'valuesOptions') return undefined;
          if (v && typeof v === 'object' && 'nested' in v && 'options' in v) return { ...v, options: undefined };
          return v;
        }),
      );
    expect(withoutValueOptions(second.root)).toEqual(withoutValueOptions(first.root));
    expect(withoutValueOptions(protoRoot())).toEqual(withoutValueOptions(parseProtos()));
  });

  it('lists proto files that exist in the shipped deps', () => {
    expect(PROTO_FILES.length).toBeGreaterThan(20);
    expect(new Set(PROTO_FILES).size).toBe(PROTO_FILES.length);
  });
});
