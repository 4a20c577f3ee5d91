/**
 * Independent-client check: a real @grpc/grpc-js-xds client resolves `xds:///hello` through an
 * ADS server built on adsServiceDefinition + encodeAny/encodeDiscoveryResponse, then calls real
 * backends. If any encoding were wrong the client would NACK (recorded below) or hang in "waiting
 * for name resolution"; the RPCs succeeding proves the codec against a decoder we did not write.
 * Exercises: LDS api_listener + HCM over RDS (ads config source) + fault and router filters as
 * typed_config Anys; RDS header matching, weighted clusters, per-route fault config; CDS EDS
 * clusters with circuit breakers; EDS with localities and IP endpoints.
 */
import * as grpc from '@grpc/grpc-js';
import * as grpcXds from '@grpc/grpc-js-xds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAny } from './any';
import { encodeDiscoveryResponse, type DiscoveryRequest } from './discovery';
import { adsServiceDefinition, type AdsServiceHandlers } from './grpc';
import { FixtureTypeUrl as T } from './testing/fixtures';
import { startServer, stopServer } from './testing/grpc-helpers';

const ECHO = '/mizzen.test.Echo/Echo';
const identity = (b: Buffer): Buffer => b;
const ads = { ads: {}, resourceApiVersion: 'V3' };

/** A backend answering `<tag>:<request>`. */
function echoServer(tag: string): grpc.Server {
  const server = new grpc.Server();
  const def: grpc.ServiceDefinition = {
    Echo: { path: ECHO, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  };
  server.addService(def, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(`${tag}:${call.request.toString()}`)),
  });
  return server;
}

function resources(portA: number, portB: number): Map<string, Map<string, Buffer>> {
  const listener = {
    name: 'hello',
    apiListener: {
      apiListener: {
        '@type': T.Hcm,
        statPrefix: 'hello',
        rds: { routeConfigName: 'hello-routes', configSource: ads },
        httpFilters: [
          { name: 'envoy.filters.http.fault', typedConfig: { '@type': T.Fault } },
          { name: 'envoy.filters.http.router', typedConfig: { '@type': T.Router } },
        ],
      },
    },
  };
  const routes = {
    name: 'hello-routes',
    virtualHosts: [
      {
        name: 'hello-vh',
        domains: ['hello'],
        routes: [
          {
            name: 'fail',
            match: { prefix: '/', headers: [{ name: 'x-fail', stringMatch: { exact: 'yes' } }] },
            route: { cluster: 'cluster-a', timeout: { seconds: 5 } },
            typedPerFilterConfig: {
              'envoy.filters.http.fault': { '@type': T.Fault, abort: { grpcStatus: 9, percentage: { numerator: 100, denominator: 'HUNDRED' } } },
            },
          },
          {
            name: 'to-b',
            match: { prefix: '/mizzen.test.Echo/', headers: [{ name: 'x-variant', stringMatch: { prefix: 'b' } }] },
            route: { weightedClusters: { clusters: [{ name: 'cluster-b', weight: { value: 100 } }] } },
          },
          { name: 'default', match: { prefix: '' }, route: { cluster: 'cluster-a', retryPolicy: { retryOn: 'unavailable', numRetries: { value: 1 } } } },
        ],
      },
    ],
  };
  const cluster = (name: string, service: string): Record<string, unknown> => ({
    name,
    type: 'EDS',
    edsClusterConfig: { edsConfig: ads, serviceName: service },
    lbPolicy: 'ROUND_ROBIN',
    connectTimeout: { seconds: 5 },
    circuitBreakers: { thresholds: [{ maxRequests: { value: 100 } }] },
  });
  const cla = (name: string, port: number): Record<string, unknown> => ({
    clusterName: name,
    endpoints: [
      {
        locality: { region: 'local', zone: 'z1' },
        loadBalancingWeight: { value: 1 },
        lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } }, healthStatus: 'HEALTHY' }],
      },
    ],
  });
  return new Map([
    [T.Listener, new Map([['hello', encodeAny(T.Listener, listener)]])],
    [T.RouteConfiguration, new Map([['hello-routes', encodeAny(T.RouteConfiguration, routes)]])],
    [T.Cluster, new Map([['cluster-a', encodeAny(T.Cluster, cluster('cluster-a', 'eds-a'))], ['cluster-b', encodeAny(T.Cluster, cluster('cluster-b', 'eds-b'))]])],
    [T.ClusterLoadAssignment, new Map([['eds-a', encodeAny(T.ClusterLoadAssignment, cla('eds-a', portA))], ['eds-b', encodeAny(T.ClusterLoadAssignment, cla('eds-b', portB))]])],
  ]);
}

/** A minimal SotW ADS server: answers each new subscription set, records ACKs and NACKs. */
function fakeControlPlane(store: () => Map<string, Map<string, Buffer>>) {
  const requests: DiscoveryRequest[] = [];
  const nacks: DiscoveryRequest[] = [];
  const acked = new Set<string>();
  const handlers: AdsServiceHandlers = {
    StreamAggregatedResources: (call) => {
      const sent = new Map<string, { names: string; nonce: string }>();
      let nonce = 0;
      call.on('data', (req: DiscoveryRequest) => {
        requests.push(req);
        if (req.errorDetail) {
          nacks.push(req);
          return;
        }
        const names = [...req.resourceNames].sort().join(',');
        const last = sent.get(req.typeUrl);
        if (last && req.responseNonce === last.nonce) acked.add(req.typeUrl);
        if (last && last.names === names) return;
        const byName = store().get(req.typeUrl) ?? new Map<string, Buffer>();
        const wanted = req.resourceNames.length ? req.resourceNames : [...byName.keys()];
        const res = wanted.flatMap((n) => (byName.has(n) ? [byName.get(n) as Buffer] : []));
        const n = `n${++nonce}`;
        sent.set(req.typeUrl, { names, nonce: n });
        call.write(encodeDiscoveryResponse({ versionInfo: '1', typeUrl: req.typeUrl, nonce: n, resources: res }));
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
    DeltaAggregatedResources: (call) => call.end(),
  };
  return { handlers, requests, nacks, acked };
}

describe('interop with an independent xDS client (@grpc/grpc-js-xds)', () => {
  const backendA = echoServer('A');
  const backendB = echoServer('B');
  const control = new grpc.Server();
  let store = new Map<string, Map<string, Buffer>>();
  const cp = fakeControlPlane(() => store);
  let client: grpc.Client;

  beforeAll(async () => {
    grpcXds.register();
    const [portA, portB] = await Promise.all([startServer(backendA), startServer(backendB)]);
    store = resources(portA, portB);
    control.addService(adsServiceDefinition, cp.handlers);
    const adsPort = await startServer(control);
    const bootstrap = {
      xds_servers: [{ server_uri: `127.0.0.1:${adsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: { id: 'mizzen-interop-test', cluster: 'test', locality: {}, metadata: { GENERATOR: 'grpc' } },
    };
    client = new grpc.Client('xds:///hello', grpc.credentials.createInsecure(), {
      'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
    });
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([stopServer(control), stopServer(backendA), stopServer(backendB)]);
  });

  function call(headers: Record<string, string> = {}): Promise<string> {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) md.set(k, v);
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(ECHO, identity, identity, Buffer.from('ping'), md, { deadline: Date.now() + 15_000 }, (err, res) => {
        if (err) reject(Object.assign(err, { nacks: cp.nacks.map((n) => n.errorDetail) }));
        else resolve((res as Buffer).toString());
      });
    });
  }

  it('resolves LDS -> RDS -> CDS -> EDS and routes an RPC to the default cluster', async () => {
    expect(await call()).toBe('A:ping');
    expect(cp.nacks).toEqual([]);
    // the client subscribed to exactly what the resources reference, then ACKed each type
    const asked = (url: string): string[] => [...new Set(cp.requests.filter((r) => r.typeUrl === url).flatMap((r) => r.resourceNames))].sort();
    expect(asked(T.Listener)).toEqual(['hello']);
    expect(asked(T.RouteConfiguration)).toEqual(['hello-routes']);
    expect(asked(T.Cluster)).toEqual(['cluster-a', 'cluster-b']);
    expect(asked(T.ClusterLoadAssignment)).toEqual(['eds-a', 'eds-b']);
    expect([...cp.acked].sort()).toEqual([T.Listener, T.RouteConfiguration, T.Cluster, T.ClusterLoadAssignment].sort());
    // the client's node metadata arrived as JSON through our Struct decoding
    expect(cp.requests[0].node).toMatchObject({ id: 'mizzen-interop-test', metadata: { GENERATOR: 'grpc' } });
  });

  it('matches headers into a weighted cluster', async () => {
    expect(await call({ 'x-variant': 'blue' })).toBe('B:ping');
  });

  it('applies the per-route fault filter config', async () => {
    await expect(call({ 'x-fail': 'yes' })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
    expect(cp.nacks).toEqual([]);
  });

  it('would notice a rejection: an HCM whose last filter is not the router is NACKed', async () => {
    // Guards against a vacuous pass: the same harness sees the independent client's NACK.
    const broken = new Map([
      [
        T.Listener,
        new Map([
          [
            'broken',
            encodeAny(T.Listener, {
              name: 'broken',
              apiListener: { apiListener: { '@type': T.Hcm, statPrefix: 'b', rds: { routeConfigName: 'x', configSource: ads }, httpFilters: [{ name: 'fault', typedConfig: { '@type': T.Fault } }] } },
            }),
          ],
        ]),
      ],
    ]);
    const badCp = fakeControlPlane(() => broken);
    const badServer = new grpc.Server();
    badServer.addService(adsServiceDefinition, badCp.handlers);
    const port = await startServer(badServer);
    const bootstrap = {
      xds_servers: [{ server_uri: `127.0.0.1:${port}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: { id: 'mizzen-interop-broken', locality: {} },
    };
    const badClient = new grpc.Client('xds:///broken', grpc.credentials.createInsecure(), {
      'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
    });
    try {
      badClient.getChannel().getConnectivityState(true);
      const deadline = Date.now() + 10_000;
      while (badCp.nacks.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(badCp.requests.length).toBeGreaterThan(0);
      expect(badCp.nacks[0]?.typeUrl).toBe(T.Listener);
      expect(badCp.nacks[0]?.errorDetail?.message).toMatch(/final filter is .*HTTPFault/);
    } finally {
      badClient.close();
      await stopServer(badServer);
    }
  });
});
