import { describe, expect, it } from 'vitest';
import { decodeAny, encodeAny } from './any';
import { TO_OBJECT_OPTIONS } from './convert';
import {
  decodeDiscoveryRequest,
  decodeDiscoveryResponse,
  encodeDiscoveryRequest,
  encodeDiscoveryResponse,
  type DiscoveryRequest,
} from './discovery';
import { requireType } from './proto-root';
import { allResources, FixtureTypeUrl as T, pruneEmptyArrays } from './testing/fixtures';

const node = {
  id: 'sidecar~10.244.1.7~reviews-v1-5b8f.default~default.svc.cluster.local',
  cluster: 'reviews.default',
  metadata: {
    ISTIO_VERSION: '1.24.0',
    LABELS: { app: 'reviews', version: 'v1' },
    NAMESPACE: 'default',
    INTERCEPTION_MODE: 'REDIRECT',
    PROXY_CONFIG: { concurrency: 2, drainDuration: '45s', tracing: null },
    INSTANCE_IPS: ['10.244.1.7'],
    mizzen: true,
  },
  locality: { region: 'us-east1', zone: 'us-east1-b' },
  userAgentName: 'mizzen-proxy',
  userAgentVersion: '0.1.0',
};

describe('DiscoveryRequest', () => {
  it('round-trips, with node metadata as a real Struct on the wire', () => {
    const req: DiscoveryRequest = {
      versionInfo: 'v1',
      node,
      resourceNames: ['9080', 'virtualInbound'],
      typeUrl: T.RouteConfiguration,
      responseNonce: 'n-1',
    };
    const bytes = encodeDiscoveryRequest(req);
    expect(pruneEmptyArrays(decodeDiscoveryRequest(bytes))).toEqual(req);

    // what an independent decoder sees: Struct fields with typed Values
    const raw = requireType('envoy.service.discovery.v3.DiscoveryRequest');
    const o = raw.toObject(raw.decode(bytes), { ...TO_OBJECT_OPTIONS, json: false }) as {
      node: { metadata: { fields: Record<string, Record<string, unknown>> } };
    };
    expect(o.node.metadata.fields['ISTIO_VERSION']).toEqual({ stringValue: '1.24.0' });
    expect(o.node.metadata.fields['mizzen']).toEqual({ boolValue: true });
    expect(Object.keys(o.node.metadata.fields['LABELS'])).toEqual(['structValue']);
  });

  it('fills proto3 defaults and carries a NACK error_detail', () => {
    const nack = decodeDiscoveryRequest(
      encodeDiscoveryRequest({
        versionInfo: '',
        resourceNames: [],
        typeUrl: T.Cluster,
        responseNonce: 'n-7',
        errorDetail: { code: 3, message: 'cluster foo: unknown lb policy' },
      }),
    );
    expect(nack).toEqual({
      versionInfo: '',
      resourceNames: [],
      typeUrl: T.Cluster,
      responseNonce: 'n-7',
      errorDetail: { code: 3, message: 'cluster foo: unknown lb policy' },
    });
    expect(decodeDiscoveryRequest(Buffer.alloc(0))).toEqual({ versionInfo: '', resourceNames: [], typeUrl: '', responseNonce: '' });
  });

  it('rejects unknown node fields', () => {
    expect(() =>
      encodeDiscoveryRequest({ versionInfo: '', node: { id: 'x', zone: 'a' } as never, resourceNames: [], typeUrl: T.Cluster, responseNonce: '' }),
    ).toThrow(/unknown field "zone"/);
  });
});

describe('DiscoveryResponse', () => {
  const resources = allResources.map(([url, body]) => encodeAny(url, body));
  const out = { versionInfo: '2024-06-01T00:00:00Z/42', typeUrl: T.Cluster, nonce: 'nonce-42', resources, controlPlane: { identifier: 'pilot-0' } };

  it('hand-assembled bytes equal protobufjs encoding and decode identically with its decoder', () => {
    const bytes = encodeDiscoveryResponse(out);
    const type = requireType('envoy.service.discovery.v3.DiscoveryResponse');
    const anyType = requireType('google.protobuf.Any');
    const viaProtobufjs = type
      .encode(
        type.fromObject({
          versionInfo: out.versionInfo,
          typeUrl: out.typeUrl,
          nonce: out.nonce,
          controlPlane: out.controlPlane,
          resources: resources.map((r) => anyType.toObject(anyType.decode(r))),
        }),
      )
      .finish();
    expect(Buffer.from(viaProtobufjs).equals(bytes)).toBe(true);

    const decoded = type.decode(bytes) as unknown as {
      versionInfo: string;
      typeUrl: string;
      nonce: string;
      controlPlane: { identifier: string };
      resources: Array<{ type_url: string; value: Uint8Array }>;
    };
    expect(decoded.versionInfo).toBe(out.versionInfo);
    expect(decoded.typeUrl).toBe(out.typeUrl);
    expect(decoded.nonce).toBe(out.nonce);
    expect(decoded.controlPlane.identifier).toBe('pilot-0');
    expect(decoded.resources.map((r) => Buffer.from(anyType.encode(r).finish()))).toEqual(resources);
  });

  it('decodeDiscoveryResponse returns every resource body', () => {
    const decoded = decodeDiscoveryResponse(encodeDiscoveryResponse(out));
    expect(decoded.versionInfo).toBe(out.versionInfo);
    expect(decoded.nonce).toBe(out.nonce);
    expect(decoded.controlPlane).toEqual({ identifier: 'pilot-0' });
    expect(decoded.resources.map((r) => [r.typeUrl, pruneEmptyArrays(r.body)])).toEqual(allResources);
  });

  it('omits empty strings like a proto3 encoder and handles an empty response', () => {
    const bytes = encodeDiscoveryResponse({ versionInfo: '', typeUrl: T.Listener, nonce: 'n', resources: [] });
    expect(decodeDiscoveryResponse(bytes)).toEqual({ versionInfo: '', typeUrl: T.Listener, nonce: 'n', resources: [] });
  });

  it('does not throw on a resource of an unloaded type (so a client can NACK it)', () => {
    const anyType = requireType('google.protobuf.Any');
    const alien = Buffer.from(anyType.encode(anyType.fromObject({ type_url: 'type.googleapis.com/io.example.Alien', value: Buffer.from([8, 1]) })).finish());
    const decoded = decodeDiscoveryResponse(encodeDiscoveryResponse({ versionInfo: '1', typeUrl: T.Cluster, nonce: 'n', resources: [alien] }));
    expect(decoded.resources).toEqual([{ typeUrl: 'type.googleapis.com/io.example.Alien', body: { '@value': 'CAE=' }, encoded: Buffer.from([8, 1]) }]);
    expect(() => decodeAny(alien)).toThrow(/not loaded/);
  });

  it('handles large payloads (multi-byte varint lengths)', () => {
    const big = encodeAny(T.Cluster, { name: 'c'.repeat(70_000) });
    const decoded = decodeDiscoveryResponse(encodeDiscoveryResponse({ versionInfo: 'v', typeUrl: T.Cluster, nonce: 'n', resources: [big, big] }));
    expect(decoded.resources).toHaveLength(2);
    expect(decoded.resources[1].body['name']).toHaveLength(70_000);
  });
});
