import type { Labels } from './labels';
import type { Protocol } from './registry';
import { protocolFromPortName } from './registry';
import { type FieldError, type Result, fail, ok } from './result';

/**
 * Node metadata keys a proxy sends in its xDS `Node.metadata` (a Struct). The upper-case keys are
 * Istio's own (istio-agent's bootstrap); `MIZZEN_*` keys are ours for local mode.
 */
export const NodeMetadataKey = {
  namespace: 'NAMESPACE',
  labels: 'LABELS',
  serviceAccount: 'SERVICE_ACCOUNT',
  instanceIps: 'INSTANCE_IPS',
  workloadName: 'WORKLOAD_NAME',
  interceptionMode: 'INTERCEPTION_MODE',
  /** `grpc` for proxyless gRPC clients (istio-agent sets it for proxyless bootstraps). */
  generator: 'GENERATOR',
  /** JSON array of {@link InboundPort}: ports the workload serves and where its app listens. */
  inbound: 'MIZZEN_INBOUND',
  /** Name of the service the workload implements (registered like a Kubernetes Service). */
  service: 'MIZZEN_SERVICE',
} as const;

export type ProxyType = 'sidecar' | 'router' | 'proxyless';

/** Istio's interception modes (`sidecar.istio.io/interceptionMode`). */
export const INTERCEPTION_MODES = ['NONE', 'REDIRECT', 'TPROXY'] as const;
export type InterceptionMode = (typeof INTERCEPTION_MODES)[number];

export const isInterceptionMode = (v: string): v is InterceptionMode => (INTERCEPTION_MODES as readonly string[]).includes(v);

/** A port the workload serves: clients reach `port` on the workload IP; the app listens on `target`. */
export interface InboundPort {
  port: number;
  name: string;
  protocol: Protocol;
  /** `host:port` the application listens on (local mode: the sidecar forwards here). */
  target: string;
}

export interface Locality {
  region?: string;
  zone?: string;
  subZone?: string;
}

/** A connected xDS client as Pilot sees it, parsed from its `Node`. */
export interface ProxyNode {
  id: string;
  type: ProxyType;
  ip: string;
  namespace: string;
  workloadName: string;
  labels: Labels;
  serviceAccount: string;
  locality: Locality;
  /**
   * How the workload's outbound traffic reaches the proxy (Istio's INTERCEPTION_MODE). NONE: the
   * application connects to the sidecar's own address (local mode). TPROXY: connections keep
   * their original destination as the accepted socket's local address (Istio's IP_TRANSPARENT
   * capture), so listeners bind the wildcard address and filter chains match the destination IP.
   */
  interceptionMode: InterceptionMode;
  inbound: readonly InboundPort[];
  service?: string;
  /**
   * The workload identity of the client certificate the xDS stream was opened with, verified by
   * the transport (Pilot's mutual-TLS port) and parsed at that boundary; absent on the plaintext
   * port. Never from node metadata: what the node claims is checked against it (Istio
   * authenticates xDS clients the same way).
   */
  peerIdentity?: PeerIdentity;
}

/** A verified SPIFFE workload identity, `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`. */
export interface PeerIdentity {
  uri: string;
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

/** The xDS `Node` with its metadata Struct already converted to plain JSON. */
export interface NodeInput {
  id: string;
  cluster?: string;
  metadata?: Record<string, unknown>;
  locality?: Locality;
  userAgentName?: string;
}

export function localityString(l: Locality | undefined): string | undefined {
  if (!l || (!l.region && !l.zone && !l.subZone)) return undefined;
  return [l.region ?? '', l.zone ?? '', l.subZone ?? ''].join('/').replace(/\/+$/, '');
}

/**
 * Builds Istio's node id `type~ip~workload.namespace~namespace.svc.cluster.local`.
 * https://github.com/istio/istio/blob/master/pilot/pkg/model/context.go (ParseServiceNodeWithMetadata)
 */
export function formatNodeId(type: 'sidecar' | 'router', ip: string, workloadName: string, namespace: string): string {
  return `${type}~${ip}~${workloadName}.${namespace}~${namespace}.svc.cluster.local`;
}

/**
 * Parses an xDS node into a {@link ProxyNode}. Proxyless gRPC clients are recognised by
 * `GENERATOR: grpc` metadata or a gRPC user agent, and need no Istio-style id.
 */
export function parseProxyNode(node: NodeInput): Result<ProxyNode> {
  const errors: FieldError[] = [];
  const md = node.metadata ?? {};
  const str = (key: string): string | undefined => {
    const v = md[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      errors.push({ path: `node.metadata.${key}`, message: 'must be a string' });
      return undefined;
    }
    return v;
  };
  const proxyless = str(NodeMetadataKey.generator) === 'grpc' || (node.userAgentName ?? '').toLowerCase().startsWith('grpc');
  const parts = node.id.split('~');
  let type: ProxyType;
  let ip = '';
  let workloadName = str(NodeMetadataKey.workloadName) ?? '';
  let namespace = str(NodeMetadataKey.namespace) ?? '';
  if (proxyless) {
    type = 'proxyless';
  } else if (parts.length === 4 && (parts[0] === 'sidecar' || parts[0] === 'router')) {
    type = parts[0];
    ip = parts[1];
    const [wl, ns] = splitOnce(parts[2], '.');
    workloadName ||= wl;
    namespace ||= ns;
  } else {
    errors.push({ path: 'node.id', message: 'must be "sidecar~IP~NAME.NAMESPACE~NAMESPACE.svc.cluster.local" or "router~..."' });
    type = 'sidecar';
  }
  const ips = str(NodeMetadataKey.instanceIps);
  if (ips) ip = ips.split(',')[0].trim();
  if (!namespace) namespace = 'default';
  const labels = parseLabels(md[NodeMetadataKey.labels], errors);
  const inbound = parseInbound(str(NodeMetadataKey.inbound), errors);
  const mode = str(NodeMetadataKey.interceptionMode) ?? 'NONE';
  if (!isInterceptionMode(mode)) {
    errors.push({ path: `node.metadata.${NodeMetadataKey.interceptionMode}`, message: `unsupported mode "${mode}" (${INTERCEPTION_MODES.join(', ')})` });
  }
  if (errors.length) return fail(errors);
  return ok({
    id: node.id,
    type,
    ip,
    namespace,
    workloadName: workloadName || node.id,
    labels,
    serviceAccount: str(NodeMetadataKey.serviceAccount) ?? 'default',
    locality: node.locality ?? {},
    interceptionMode: isInterceptionMode(mode) ? mode : 'NONE',
    inbound,
    service: str(NodeMetadataKey.service),
  });
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function parseLabels(v: unknown, errors: FieldError[]): Labels {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    errors.push({ path: `node.metadata.${NodeMetadataKey.labels}`, message: 'must be a map of strings' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') errors.push({ path: `node.metadata.${NodeMetadataKey.labels}.${k}`, message: 'must be a string' });
    else out[k] = val;
  }
  return out;
}

function parseInbound(raw: string | undefined, errors: FieldError[]): InboundPort[] {
  if (!raw) return [];
  const path = `node.metadata.${NodeMetadataKey.inbound}`;
  let arr: unknown;
  try {
    arr = JSON.parse(raw);
  } catch {
    errors.push({ path, message: 'must be a JSON array' });
    return [];
  }
  if (!Array.isArray(arr)) {
    errors.push({ path, message: 'must be a JSON array' });
    return [];
  }
  const out: InboundPort[] = [];
  arr.forEach((p: unknown, i) => {
    const e = p as Partial<InboundPort> | null;
    if (!e || typeof e.port !== 'number' || !Number.isInteger(e.port) || e.port < 1 || e.port > 65535) {
      errors.push({ path: `${path}[${i}].port`, message: 'must be a port number 1-65535' });
      return;
    }
    if (typeof e.target !== 'string' || !/^[^:]+:\d+$/.test(e.target)) {
      errors.push({ path: `${path}[${i}].target`, message: 'must be "host:port"' });
      return;
    }
    const name = typeof e.name === 'string' ? e.name : `port-${e.port}`;
    out.push({ port: e.port, name, protocol: e.protocol ?? protocolFromPortName(name), target: e.target });
  });
  return out;
}

/** Encodes inbound ports for the {@link NodeMetadataKey.inbound} metadata value. */
export function formatInbound(ports: readonly InboundPort[]): string {
  return JSON.stringify(ports);
}
