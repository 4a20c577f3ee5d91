/**
 * Incremental (delta) xDS messages, for DeltaAggregatedResources.
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol#incremental-xds
 */
import { decodeMessage, toWire } from './convert';
import { errorDetailFrom, type ResourceIn, resourceBody, type WireAny, type XdsErrorDetail, type XdsNode } from './discovery';
import { requireType } from './proto-root';
import { LenFieldWriter } from './wire';

export interface DeltaDiscoveryRequest {
  node?: XdsNode;
  typeUrl: string;
  resourceNamesSubscribe: string[];
  resourceNamesUnsubscribe: string[];
  /** Resource name -> version the client already has (first request of a reconnected stream). */
  initialResourceVersions: Record<string, string>;
  responseNonce: string;
  errorDetail?: XdsErrorDetail;
}

export interface DeltaResourceOut {
  name: string;
  version: string;
  /** An encoded google.protobuf.Any from encodeAny; omitted for a heartbeat (TTL refresh). */
  resource?: Buffer;
  aliases?: string[];
  ttl?: { seconds: number; nanos?: number };
}

export interface DeltaDiscoveryResponseOut {
  systemVersionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: DeltaResourceOut[];
  removedResources: string[];
  controlPlane?: { identifier: string };
}

export interface DeltaResourceIn {
  name: string;
  version: string;
  aliases: string[];
  resource?: ResourceIn;
  ttl?: { seconds: number; nanos?: number };
}

export interface DeltaDiscoveryResponseIn {
  systemVersionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: DeltaResourceIn[];
  removedResources: string[];
  controlPlane?: { identifier: string };
}

const DELTA_REQUEST = 'envoy.service.discovery.v3.DeltaDiscoveryRequest';
const DELTA_RESPONSE = 'envoy.service.discovery.v3.DeltaDiscoveryResponse';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function encodeDeltaDiscoveryRequest(r: DeltaDiscoveryRequest): Buffer {
  const type = requireType(DELTA_REQUEST);
  const wire = toWire(type, {
    node: r.node,
    typeUrl: r.typeUrl,
    resourceNamesSubscribe: r.resourceNamesSubscribe,
    resourceNamesUnsubscribe: r.resourceNamesUnsubscribe,
    initialResourceVersions: r.initialResourceVersions,
    responseNonce: r.responseNonce,
    errorDetail: r.errorDetail && { code: r.errorDetail.code, message: r.errorDetail.message },
  });
  return Buffer.from(type.encode(type.fromObject(wire)).finish());
}

export function decodeDeltaDiscoveryRequest(b: Buffer | Uint8Array): DeltaDiscoveryRequest {
  const o = decodeMessage(requireType(DELTA_REQUEST), b);
  const out: DeltaDiscoveryRequest = {
    typeUrl: str(o['typeUrl']),
    resourceNamesSubscribe: (o['resourceNamesSubscribe'] as string[] | undefined) ?? [],
    resourceNamesUnsubscribe: (o['resourceNamesUnsubscribe'] as string[] | undefined) ?? [],
    initialResourceVersions: (o['initialResourceVersions'] as Record<string, string> | undefined) ?? {},
    responseNonce: str(o['responseNonce']),
  };
  if (o['node']) out.node = o['node'] as XdsNode;
  const errorDetail = errorDetailFrom(o['errorDetail']);
  if (errorDetail) out.errorDetail = errorDetail;
  return out;
}

/** envoy.service.discovery.v3.Resource: version = 1, resource = 2, name = 3, aliases = 4, ttl = 6. */
function encodeResource(r: DeltaResourceOut): Buffer {
  const w = new LenFieldWriter().string(1, r.version);
  if (r.resource) w.message(2, r.resource);
  w.string(3, r.name);
  for (const alias of r.aliases ?? []) w.message(4, Buffer.from(alias, 'utf8'));
  if (r.ttl) {
    const duration = requireType('google.protobuf.Duration');
    w.message(6, duration.encode(duration.fromObject(r.ttl)).finish());
  }
  return w.finish();
}

/**
 * Assembles a DeltaDiscoveryResponse around pre-encoded Any bytes: system_version_info = 1,
 * resources = 2, type_url = 4, nonce = 5, removed_resources = 6, control_plane = 7.
 */
export function encodeDeltaDiscoveryResponse(r: DeltaDiscoveryResponseOut): Buffer {
  const w = new LenFieldWriter().string(1, r.systemVersionInfo);
  for (const res of r.resources) w.message(2, encodeResource(res));
  w.string(4, r.typeUrl).string(5, r.nonce);
  for (const name of r.removedResources) w.message(6, Buffer.from(name, 'utf8'));
  if (r.controlPlane) w.message(7, new LenFieldWriter().string(1, r.controlPlane.identifier).finish());
  return w.finish();
}

interface WireResource {
  name: string;
  version: string;
  aliases: string[];
  resource?: WireAny | null;
  ttl?: { seconds: number | { toNumber(): number }; nanos: number } | null;
}

export function decodeDeltaDiscoveryResponse(b: Buffer | Uint8Array): DeltaDiscoveryResponseIn {
  const m = requireType(DELTA_RESPONSE).decode(b) as unknown as {
    systemVersionInfo: string;
    typeUrl: string;
    nonce: string;
    resources: WireResource[];
    removedResources: string[];
    controlPlane?: { identifier: string } | null;
  };
  const out: DeltaDiscoveryResponseIn = {
    systemVersionInfo: m.systemVersionInfo,
    typeUrl: m.typeUrl,
    nonce: m.nonce,
    resources: m.resources.map((r) => {
      const res: DeltaResourceIn = { name: r.name, version: r.version, aliases: [...r.aliases] };
      if (r.resource) res.resource = resourceBody(r.resource);
      if (r.ttl) {
        const s = r.ttl.seconds;
        res.ttl = { seconds: typeof s === 'number' ? s : s.toNumber(), nanos: r.ttl.nanos };
      }
      return res;
    }),
    removedResources: [...m.removedResources],
  };
  if (m.controlPlane) out.controlPlane = { identifier: m.controlPlane.identifier };
  return out;
}
