import { formatNodeId } from '@mizzen/mesh-model';
import type { DiscoveryRequest, XdsNode } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { monoMs } from '../../common/cleanup';
import { AdsH2Stream } from './ads-h2-stream';
import { type LightResponse, edsNames, endpointAddresses } from './xds-wire';

export const HTTP_PROXY_ROUTE = 'http_proxy';

export type EdsMode = 'none' | 'all' | { hosts: string[] };

function edsFilter(mode: EdsMode): (name: string) => boolean {
  if (mode === 'none') return () => false;
  if (mode === 'all') return () => true;
  const suffixes = mode.hosts.map((h) => `|${h}`);
  return (name) => suffixes.some((s) => name.endsWith(s));
}

/** What one simulated proxy saw of one type: every ACKed version with its time. */
export interface TypeTrack {
  acked?: string;
  /** [version, monotonic ms at ACK] in order. */
  history: Array<[string, number]>;
}

export interface SimClientOptions {
  index: number;
  target: string;
  namespace: string;
  /**
   * EDS subscription: `all` EDS clusters CDS lists (what Envoy does without Sidecar scoping),
   * only those of some hosts (a Sidecar-scoped proxy calling a few services), or none.
   */
  eds: EdsMode;
  /** Record the endpoint addresses of every EDS response (the churn probe). */
  captureEndpoints?: boolean;
}

/** The node of simulated sidecar number `index` (no inbound ports, so Pilot registers nothing). */
export function simNode(index: number, namespace: string): XdsNode {
  const ip = `127.150.${(index >> 8) & 255}.${index & 255}`;
  return {
    id: formatNodeId('sidecar', ip, `sim-${index}`, namespace),
    metadata: { NAMESPACE: namespace, LABELS: { app: `sim-${index}`, version: 'v1' }, INSTANCE_IPS: ip },
  };
}

/**
 * One simulated sidecar: its own HTTP/2 connection and one ADS stream over it ({@link AdsH2Stream}). It follows Envoy's order: wildcard CDS with the node,
 * then EDS for the EDS clusters listed, wildcard LDS, then RDS `http_proxy`; it ACKs every
 * response with its version and nonce and re-subscribes EDS when the cluster list changes.
 */
export class SimClient {
  readonly tracks = new Map<string, TypeTrack>();
  /** Resources in the last response of each type. */
  readonly resourceCounts = new Map<string, number>();
  endpointSnapshots: Array<{ version: string; at: number; addresses: Set<string> }> = [];
  error?: string;
  closed = false;
  private stream?: AdsH2Stream;
  private edsSubscribed: string[] = [];
  /**
   * Version and nonce of the last response of each type. Only these two strings are kept: the
   * resources are views into the received buffer, and holding them would keep every client's
   * last CDS and RDS (~1.3 MB with 1000 services) alive, making the clients' GC, not Pilot, the
   * bottleneck of a push to 1000 of them.
   */
  private readonly last = new Map<string, { versionInfo: string; nonce: string }>();
  private readonly wantEds: (name: string) => boolean;

  constructor(private readonly o: SimClientOptions) {
    this.wantEds = edsFilter(o.eds);
    for (const t of [TypeUrl.Cluster, TypeUrl.Listener, TypeUrl.RouteConfiguration, TypeUrl.ClusterLoadAssignment]) this.tracks.set(t, { history: [] });
  }

  start(): void {
    // Resource bodies read: clusters (to subscribe EDS) and endpoints (the churn probe); listeners
    // and routes are only ACKed, so their bytes are skipped unread.
    const keep = new Set<string>([TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment]);
    this.stream = new AdsH2Stream(this.o.target, {
      keep: (t) => keep.has(t),
      onResponse: (r) => this.onResponse(r),
      onError: (message) => {
        this.error ??= message;
        this.closed = true;
      },
      onEnd: () => (this.closed = true),
    });
    this.send({ typeUrl: TypeUrl.Cluster, node: simNode(this.o.index, this.o.namespace) });
  }

  /** Initial config ACKed (CDS, LDS, RDS, and EDS when subscribed). */
  get synced(): boolean {
    const acked = (t: string) => this.tracks.get(t)?.acked !== undefined;
    return acked(TypeUrl.Cluster) && acked(TypeUrl.Listener) && acked(TypeUrl.RouteConfiguration) && (this.edsSubscribed.length === 0 || acked(TypeUrl.ClusterLoadAssignment));
  }

  stop(): void {
    this.closed = true;
    this.stream?.close();
  }

  private send(r: Partial<DiscoveryRequest> & { typeUrl: string }): void {
    this.stream?.write({ versionInfo: '', resourceNames: [], responseNonce: '', ...r });
  }

  private ack(r: LightResponse, names: string[]): void {
    this.send({ typeUrl: r.typeUrl, versionInfo: r.versionInfo, responseNonce: r.nonce, resourceNames: names });
    const track = this.tracks.get(r.typeUrl);
    if (track) {
      track.acked = r.versionInfo;
      track.history.push([r.versionInfo, monoMs()]);
    }
  }

  private onResponse(r: LightResponse): void {
    const first = !this.last.has(r.typeUrl);
    this.last.set(r.typeUrl, { versionInfo: r.versionInfo, nonce: r.nonce });
    this.resourceCounts.set(r.typeUrl, r.resources.length + r.skippedResources);
    switch (r.typeUrl) {
      case TypeUrl.Cluster: {
        this.ack(r, []);
        if (this.o.eds !== 'none') this.subscribeEds(edsNames(r.resources).filter(this.wantEds));
        if (first) this.send({ typeUrl: TypeUrl.Listener });
        break;
      }
      case TypeUrl.Listener:
        this.ack(r, []);
        if (first) this.send({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: [HTTP_PROXY_ROUTE] });
        break;
      case TypeUrl.RouteConfiguration:
        this.ack(r, [HTTP_PROXY_ROUTE]);
        break;
      case TypeUrl.ClusterLoadAssignment:
        if (this.o.captureEndpoints) this.endpointSnapshots.push({ version: r.versionInfo, at: monoMs(), addresses: new Set(endpointAddresses(r.resources)) });
        this.ack(r, this.edsSubscribed);
        break;
      default:
        this.ack(r, []);
    }
  }

  private subscribeEds(names: string[]): void {
    if (names.length === this.edsSubscribed.length && names.every((n, i) => n === this.edsSubscribed[i])) return;
    this.edsSubscribed = names;
    const prev = this.last.get(TypeUrl.ClusterLoadAssignment);
    this.send({ typeUrl: TypeUrl.ClusterLoadAssignment, resourceNames: names, versionInfo: prev?.versionInfo ?? '', responseNonce: prev?.nonce ?? '' });
  }
}
