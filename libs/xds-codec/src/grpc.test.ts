import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAny } from './any';
import { encodeDeltaDiscoveryResponse, type DeltaDiscoveryRequest, type DeltaDiscoveryResponseIn } from './delta';
import { encodeDiscoveryResponse, type DiscoveryRequest, type DiscoveryResponseIn } from './discovery';
import { ADS_SERVICE_NAME, adsServiceDefinition, createAdsClient, type AdsClientFull, type AdsServiceHandlers } from './grpc';
import { FixtureTypeUrl as T, edsCluster, pruneEmptyArrays } from './testing/fixtures';
import { nextMatching, startServer, stopServer } from './testing/grpc-helpers';

describe('ADS over a real gRPC loopback connection', () => {
  const server = new grpc.Server();
  const received: DiscoveryRequest[] = [];
  const receivedDelta: DeltaDiscoveryRequest[] = [];
  let client: AdsClientFull;

  const handlers: AdsServiceHandlers = {
    StreamAggregatedResources: (call) => {
      call.on('data', (req: DiscoveryRequest) => {
        received.push(req);
        if (req.responseNonce) return; // an ACK
        call.write(
          encodeDiscoveryResponse({
            versionInfo: 'v1',
            typeUrl: req.typeUrl,
            nonce: `nonce-${received.length}`,
            resources: [encodeAny(T.Cluster, edsCluster)],
            controlPlane: { identifier: 'test-pilot' },
          }),
        );
      });
      call.on('end', () => call.end());
    },
    DeltaAggregatedResources: (call) => {
      call.on('data', (req: DeltaDiscoveryRequest) => {
        receivedDelta.push(req);
        call.write(
          encodeDeltaDiscoveryResponse({
            systemVersionInfo: 's1',
            typeUrl: req.typeUrl,
            nonce: 'd1',
            resources: req.resourceNamesSubscribe.map((name) => ({ name, version: 'h', resource: encodeAny(T.Cluster, { name }) })),
            removedResources: [],
          }),
        );
      });
      call.on('end', () => call.end());
    },
  };

  beforeAll(async () => {
    server.addService(adsServiceDefinition, handlers);
    const port = await startServer(server);
    client = createAdsClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await stopServer(server);
  });

  it('exposes the Envoy service name and method paths', () => {
    expect(ADS_SERVICE_NAME).toBe('envoy.service.discovery.v3.AggregatedDiscoveryService');
    expect(adsServiceDefinition.StreamAggregatedResources.path).toBe(`/${ADS_SERVICE_NAME}/StreamAggregatedResources`);
    expect(adsServiceDefinition.DeltaAggregatedResources.path).toBe(`/${ADS_SERVICE_NAME}/DeltaAggregatedResources`);
  });

  it('exchanges a request with node metadata (Struct) and a response', async () => {
    const stream = client.streamAggregatedResources();
    const node = {
      id: 'sidecar~10.0.0.1~pod.ns~ns.svc.cluster.local',
      metadata: { LABELS: { app: 'reviews' }, ISTIO_VERSION: '1.24', CLUSTER_ID: 'Kubernetes', WORKLOAD_PORTS: [9080, 15090] },
      locality: { zone: 'z1' },
    };
    const first = nextMatching<DiscoveryResponseIn, DiscoveryResponseIn>(stream, (r) => r);
    stream.write({ versionInfo: '', node, resourceNames: [], typeUrl: T.Cluster, responseNonce: '' });
    const resp = await first;

    expect(resp.versionInfo).toBe('v1');
    expect(resp.typeUrl).toBe(T.Cluster);
    expect(resp.controlPlane).toEqual({ identifier: 'test-pilot' });
    expect(resp.resources).toHaveLength(1);
    expect(resp.resources[0].typeUrl).toBe(T.Cluster);
    expect(pruneEmptyArrays(resp.resources[0].body)).toEqual(edsCluster);

    const serverSaw = received[received.length - 1];
    expect({ ...serverSaw, node: pruneEmptyArrays(serverSaw.node) }).toEqual({
      versionInfo: '',
      node,
      resourceNames: [],
      typeUrl: T.Cluster,
      responseNonce: '',
    });

    // ACK, then close
    stream.write({ versionInfo: 'v1', resourceNames: [], typeUrl: T.Cluster, responseNonce: resp.nonce });
    stream.end();
    await new Promise<void>((resolve) => stream.on('status', () => resolve()));
    expect(received[received.length - 1]).toMatchObject({ versionInfo: 'v1', responseNonce: resp.nonce });
  });

  it('carries delta xDS too', async () => {
    const stream = client.deltaAggregatedResources();
    const first = nextMatching<DeltaDiscoveryResponseIn, DeltaDiscoveryResponseIn>(stream, (r) => r);
    stream.write({
      node: { id: 'n' },
      typeUrl: T.Cluster,
      resourceNamesSubscribe: ['a', 'b'],
      resourceNamesUnsubscribe: [],
      initialResourceVersions: {},
      responseNonce: '',
    });
    const resp = await first;
    expect(resp.resources.map((r) => [r.name, r.resource?.body['name']])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(receivedDelta[0].resourceNamesSubscribe).toEqual(['a', 'b']);
    stream.end();
    await new Promise<void>((resolve) => stream.on('status', () => resolve()));
  });
});
