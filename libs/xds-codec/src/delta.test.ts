import { describe, expect, it } from 'vitest';
import { encodeAny } from './any';
import {
  decodeDeltaDiscoveryRequest,
  decodeDeltaDiscoveryResponse,
  encodeDeltaDiscoveryRequest,
  encodeDeltaDiscoveryResponse,
  type DeltaDiscoveryRequest,
} from './delta';
import { requireType } from './proto-root';
import { clusterLoadAssignment, edsCluster, FixtureTypeUrl as T, pruneEmptyArrays } from './testing/fixtures';

describe('delta xDS codecs', () => {
  it('round-trips a DeltaDiscoveryRequest', () => {
    const req: DeltaDiscoveryRequest = {
      node: { id: 'n', metadata: { LABELS: { app: 'x' } } },
      typeUrl: T.ClusterLoadAssignment,
      resourceNamesSubscribe: ['a', 'b'],
      resourceNamesUnsubscribe: ['c'],
      initialResourceVersions: { a: 'v1' },
      responseNonce: '',
    };
    expect(pruneEmptyArrays(decodeDeltaDiscoveryRequest(encodeDeltaDiscoveryRequest(req)))).toEqual(req);
  });

  it('assembles a DeltaDiscoveryResponse that protobufjs decodes, and decodes it back', () => {
    const cla = encodeAny(T.ClusterLoadAssignment, clusterLoadAssignment);
    const cluster = encodeAny(T.Cluster, edsCluster);
    const bytes = encodeDeltaDiscoveryResponse({
      systemVersionInfo: 'sys-1',
      typeUrl: T.Cluster,
      nonce: 'd-1',
      resources: [
        { name: edsCluster.name, version: 'h1', resource: cluster, aliases: ['alias'], ttl: { seconds: 30, nanos: 5 } },
        { name: 'heartbeat', version: 'h2' },
        { name: clusterLoadAssignment.clusterName, version: 'h3', resource: cla },
      ],
      removedResources: ['gone-1', 'gone-2'],
      controlPlane: { identifier: 'pilot-0' },
    });

    const type = requireType('envoy.service.discovery.v3.DeltaDiscoveryResponse');
    const raw = type.toObject(type.decode(bytes), { longs: Number }) as Record<string, unknown>;
    expect(raw['systemVersionInfo']).toBe('sys-1');
    expect(raw['removedResources']).toEqual(['gone-1', 'gone-2']);
    expect((raw['resources'] as Array<{ ttl?: unknown; name: string }>).map((r) => r.name)).toEqual([edsCluster.name, 'heartbeat', clusterLoadAssignment.clusterName]);

    const decoded = decodeDeltaDiscoveryResponse(bytes);
    expect(decoded.systemVersionInfo).toBe('sys-1');
    expect(decoded.typeUrl).toBe(T.Cluster);
    expect(decoded.nonce).toBe('d-1');
    expect(decoded.controlPlane).toEqual({ identifier: 'pilot-0' });
    expect(decoded.removedResources).toEqual(['gone-1', 'gone-2']);
    const [c, hb, e] = decoded.resources;
    expect(c.aliases).toEqual(['alias']);
    expect(c.ttl).toEqual({ seconds: 30, nanos: 5 });
    expect(pruneEmptyArrays(c.resource?.body)).toEqual(edsCluster);
    expect(hb).toEqual({ name: 'heartbeat', version: 'h2', aliases: [] });
    expect(pruneEmptyArrays(e.resource?.body)).toEqual(clusterLoadAssignment);
  });
});
