/**
 * State-of-the-world xDS messages (envoy.service.discovery.v3.DiscoveryRequest/Response).
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol
 */
import { anyFromWire, decodeMessage, readAny, toWire } from './convert';
import { requireType } from './proto-root';
import { LenFieldWriter } from './wire';

/** envoy.config.core.v3.Node, with metadata (a Struct) as plain JSON. */
export interface XdsNode {
  id: string;
  cluster?: string;
  metadata?: Record<string, unknown>;
  locality?: { region?: string; zone?: string; subZone?: string };
  userAgentName?: string;
  userAgentVersion?: string;
  /** Well-known client features, e.g. 'envoy.lb.does_not_support_overprovisioning'. */
  clientFeatures?: string[];
}

/** google.rpc.Status as carried by a NACK. */
export interface XdsErrorDetail {
  code: number;
  message: string;
}

export interface DiscoveryRequest {
  versionInfo: string;
  node?: XdsNode;
  resourceNames: string[];
  typeUrl: string;
  responseNonce: string;
  /** Set on a NACK: the request carries the rejected response's nonce plus this. */
  errorDetail?: XdsErrorDetail;
}

export interface DiscoveryResponseOut {
  versionInfo: string;
  typeUrl: string;
  nonce: string;
  /** Each an encoded google.protobuf.Any, as returned by encodeAny (cache these by content). */
  resources: Buffer[];
  controlPlane?: { identifier: string };
}

export interface DiscoveryResponseIn {
  versionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: ResourceIn[];
  controlPlane?: { identifier: string };
}

/** A decoded resource. `encoded` is its Any's value bytes as received (a view into the response). */
export interface ResourceIn {
  typeUrl: string;
  body: Record<string, unknown>;
  encoded?: Uint8Array;
}

const DISCOVERY_REQUEST = 'envoy.service.discovery.v3.DiscoveryRequest';
const DISCOVERY_RESPONSE = 'envoy.service.discovery.v3.DiscoveryResponse';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Normalises google.rpc.Status from toObject output. */
export function errorDetailFrom(v: unknown): XdsErrorDetail | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as { code?: number; message?: string };
  return { code: s.code ?? 0, message: s.message ?? '' };
}

export function encodeDiscoveryRequest(r: DiscoveryRequest): Buffer {
  const type = requireType(DISCOVERY_REQUEST);
  const wire = toWire(type, {
    versionInfo: r.versionInfo,
    node: r.node,
    resourceNames: r.resourceNames,
    typeUrl: r.typeUrl,
    responseNonce: r.responseNonce,
    errorDetail: r.errorDetail && { code: r.errorDetail.code, message: r.errorDetail.message },
  });
  return Buffer.from(type.encode(type.fromObject(wire)).finish());
}

export function decodeDiscoveryRequest(b: Buffer | Uint8Array): DiscoveryRequest {
  const o = decodeMessage(requireType(DISCOVERY_REQUEST), b);
  const out: DiscoveryRequest = {
    versionInfo: str(o['versionInfo']),
    resourceNames: (o['resourceNames'] as string[] | undefined) ?? [],
    typeUrl: str(o['typeUrl']),
    responseNonce: str(o['responseNonce']),
  };
  if (o['node']) out.node = o['node'] as XdsNode;
  const errorDetail = errorDetailFrom(o['errorDetail']);
  if (errorDetail) out.errorDetail = errorDetail;
  return out;
}

/**
 * Assembles a DiscoveryResponse from pre-encoded Any bytes by wire concatenation (no re-encode):
 * version_info = 1, resources = 2, type_url = 4, nonce = 5, control_plane = 6 { identifier = 1 }.
 */
export function encodeDiscoveryResponse(r: DiscoveryResponseOut): Buffer {
  const w = new LenFieldWriter().string(1, r.versionInfo);
  for (const res of r.resources) w.message(2, res);
  w.string(4, r.typeUrl).string(5, r.nonce);
  if (r.controlPlane) w.message(6, new LenFieldWriter().string(1, r.controlPlane.identifier).finish());
  return w.finish();
}

/** An Any message instance as protobufjs decodes it (see readAny for its field names). */
export type WireAny = unknown;

/**
 * The body of a resource Any. Never throws for a type that is not loaded (a client must be able
 * to NACK it rather than have its stream torn down by a deserialisation error): such a body is
 * { '@value': '<base64>' }.
 */
export function resourceBody(a: WireAny): ResourceIn {
  const { typeUrl, value } = readAny(a);
  const { ['@type']: _t, ...body } = anyFromWire(typeUrl, value);
  return { typeUrl, body, encoded: value };
}

export function decodeDiscoveryResponse(b: Buffer | Uint8Array): DiscoveryResponseIn {
  const m = requireType(DISCOVERY_RESPONSE).decode(b) as unknown as {
    versionInfo: string;
    typeUrl: string;
    nonce: string;
    resources: WireAny[];
    controlPlane?: { identifier: string } | null;
  };
  const out: DiscoveryResponseIn = {
    versionInfo: m.versionInfo,
    typeUrl: m.typeUrl,
    nonce: m.nonce,
    resources: m.resources.map(resourceBody),
  };
  if (m.controlPlane) out.controlPlane = { identifier: m.controlPlane.identifier };
  return out;
}
