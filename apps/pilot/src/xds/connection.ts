import { randomUUID } from 'node:crypto';
import type { ProxyNode } from '@mizzen/mesh-model';
import type { DiscoveryRequest } from '@mizzen/xds-codec';
import type { ResourceTypeUrl, XdsResource } from '@mizzen/xds-types';
import type { Generated } from './generated';
import { type ProxyStream, TypedStream } from './proxy-stream';
import { SHORT_NAME } from './type-order';

/** Per type URL state of one stream (Envoy xDS protocol: version, nonce, ACK/NACK). */
export interface TypeState {
  /** Requested names; undefined = wildcard. */
  names: readonly string[] | undefined;
  sentVersion?: string;
  sentNonce?: string;
  sentCount?: number;
  ackedVersion?: string;
  nackedVersion?: string;
  lastNackError?: string;
  nacks: number;
}

export interface ConnectionDeps {
  /** What to send: the proxy's resources of a type, encoded, from the generation cache. */
  resources(proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined): Generated;
  /** Fresh, uncached generation (debug config_dump). */
  generate(proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined): XdsResource[];
  isWildcard(proxy: ProxyNode, typeUrl: ResourceTypeUrl): boolean;
  /** Hands a response to the transport; `onFlushed` runs once it has been written out. */
  write(bytes: Buffer, onFlushed?: () => void): void;
  controlPlaneId: string;
  onNack(proxy: ProxyNode, typeUrl: string, version: string, message: string): void;
}

/**
 * One ADS stream's state machine, state of the world. The server feeds it requests and pushes;
 * it decides what to send. Rules (https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol):
 * - a request whose nonce is not the last one sent for its type is stale and ignored;
 * - a request carrying `error_detail` is a NACK: logged, counted, the proxy keeps its last good
 *   config, and the NACKed version is never sent again;
 * - otherwise it is an ACK (or a subscription change, which triggers a response);
 * - a request with no nonce is an initial request (new stream or reconnect): always answered.
 */
export class XdsConnection extends TypedStream<TypeState> implements ProxyStream {
  readonly id = randomUUID();
  readonly connectedAt = new Date();

  constructor(
    proxy: ProxyNode,
    private readonly deps: ConnectionDeps,
  ) {
    super(proxy, deps.generate, deps.write);
  }

  handleRequest(req: DiscoveryRequest, typeUrl: ResourceTypeUrl): void {
    // Wildcard types (sidecar LDS/CDS) ignore resource names: the proxy gets every resource.
    const names = this.deps.isWildcard(this.proxy, typeUrl) ? undefined : [...req.resourceNames].sort();
    const st = this.types.get(typeUrl);
    if (!st || !req.responseNonce) {
      const next: TypeState = { names, nacks: st?.nacks ?? 0, ackedVersion: req.versionInfo || st?.ackedVersion };
      this.types.set(typeUrl, next);
      this.send(typeUrl, next, true);
      return;
    }
    if (req.responseNonce !== st.sentNonce) return; // stale
    const namesChanged = !sameNames(st.names, names);
    st.names = names;
    if (req.errorDetail) {
      st.nacks++;
      st.nackedVersion = st.sentVersion;
      st.lastNackError = req.errorDetail.message;
      this.deps.onNack(this.proxy, typeUrl, st.sentVersion ?? '', req.errorDetail.message);
    } else {
      st.ackedVersion = req.versionInfo;
    }
    if (namesChanged) this.send(typeUrl, st, false);
  }



  status(): Record<string, unknown> {
    const types: Record<string, unknown> = {};
    for (const [t, st] of this.types) {
      types[SHORT_NAME[t] ?? t] = {
        sent: st.sentVersion,
        acked: st.ackedVersion,
        nacked: st.nackedVersion,
        lastNackError: st.lastNackError,
        nacks: st.nacks,
        resources: st.sentCount,
        synced: st.sentVersion !== undefined && st.sentVersion === st.ackedVersion,
      };
    }
    return { id: this.proxy.id, type: this.proxy.type, namespace: this.proxy.namespace, workload: this.proxy.workloadName, ip: this.proxy.ip, connectedAt: this.connectedAt.toISOString(), types };
  }

  protected requestedNames(st: TypeState): readonly string[] | undefined {
    return st.names;
  }

  protected send(typeUrl: ResourceTypeUrl, st: TypeState, force: boolean): boolean {
    const generated = this.deps.resources(this.proxy, typeUrl, st.names);
    const version = generated.version;
    if (!force && (version === st.sentVersion || version === st.nackedVersion)) return false;
    const { nonce, bytes } = generated.response(typeUrl, this.deps.controlPlaneId, st.sentNonce);
    st.sentVersion = version;
    st.sentNonce = nonce;
    st.sentCount = generated.resources.length;
    this.emit(bytes);
    return true;
  }
}

function sameNames(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
