import { randomUUID } from 'node:crypto';
import type { ProxyNode } from '@mizzen/mesh-model';
import { type DeltaDiscoveryRequest, type DeltaResourceOut, encodeDeltaDiscoveryResponse } from '@mizzen/xds-codec';
import type { ResourceTypeUrl } from '@mizzen/xds-types';
import type { ConnectionDeps } from './connection';
import { type ProxyStream, TypedStream } from './proxy-stream';
import { SHORT_NAME } from './type-order';

/** Per type URL state of one incremental stream. */
interface DeltaTypeState {
  wildcard: boolean;
  /** Explicit subscriptions (besides the wildcard). */
  names: Set<string>;
  /** What the client holds: name -> content hash (its version). */
  known: Map<string, string>;
  /** `known` before the last response, restored if that response is NACKed. */
  beforeSend?: Map<string, string>;
  /** Hashes of resources in a NACKed response: never resent unchanged. */
  rejected: Map<string, string>;
  lastNonce?: string;
  acked: number;
  nacks: number;
  lastNackError?: string;
}

/**
 * One incremental (delta) ADS stream. The client's subscriptions and the versions it holds are
 * tracked per type; a push sends only resources whose content hash changed and names what was
 * removed, so endpoint churn costs one ClusterLoadAssignment, not the whole set.
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol#incremental-xds
 */
export class DeltaXdsConnection extends TypedStream<DeltaTypeState> implements ProxyStream {
  readonly id = randomUUID();
  readonly connectedAt = new Date();
  private nonce = 0;

  constructor(
    proxy: ProxyNode,
    private readonly deps: ConnectionDeps,
  ) {
    super(proxy, deps.generate, deps.write);
  }

  handleRequest(req: DeltaDiscoveryRequest, typeUrl: ResourceTypeUrl): void {
    let st = this.types.get(typeUrl);
    const first = !st;
    if (!st) {
      const explicit = req.resourceNamesSubscribe.filter((n) => n !== '*');
      // Wildcard if the type is wildcard-capable and the first request names nothing or `*`.
      const wildcard = this.deps.isWildcard(this.proxy, typeUrl) && (explicit.length === 0 || req.resourceNamesSubscribe.includes('*'));
      st = { wildcard, names: new Set(), known: new Map(Object.entries(req.initialResourceVersions ?? {})), rejected: new Map(), acked: 0, nacks: 0 };
      this.types.set(typeUrl, st);
    }
    let subscriptionChanged = false;
    for (const n of req.resourceNamesSubscribe) {
      if (n === '*') st.wildcard = this.deps.isWildcard(this.proxy, typeUrl);
      else if (!st.names.has(n)) {
        st.names.add(n);
        subscriptionChanged = true;
      }
    }
    for (const n of req.resourceNamesUnsubscribe) {
      if (n === '*') st.wildcard = false;
      st.names.delete(n);
      st.known.delete(n);
    }
    if (req.responseNonce && req.responseNonce === st.lastNonce) {
      if (req.errorDetail) {
        st.nacks++;
        st.lastNackError = req.errorDetail.message;
        for (const [n, h] of st.known) if (st.beforeSend?.get(n) !== h) st.rejected.set(n, h);
        if (st.beforeSend) st.known = st.beforeSend;
        this.deps.onNack(this.proxy, typeUrl, st.lastNonce ?? '', req.errorDetail.message);
      } else {
        st.acked++;
        st.rejected.clear();
      }
      st.beforeSend = undefined;
    }
    if (first || subscriptionChanged) this.send(typeUrl, st, first);
  }



  status(): Record<string, unknown> {
    const types: Record<string, unknown> = {};
    for (const [t, st] of this.types) {
      types[SHORT_NAME[t] ?? t] = { mode: 'delta', wildcard: st.wildcard, subscribed: st.names.size, resources: st.known.size, acks: st.acked, nacks: st.nacks, lastNackError: st.lastNackError, synced: !st.beforeSend };
    }
    return { id: this.proxy.id, type: this.proxy.type, namespace: this.proxy.namespace, workload: this.proxy.workloadName, ip: this.proxy.ip, connectedAt: this.connectedAt.toISOString(), types };
  }

  protected requestedNames(st: DeltaTypeState): readonly string[] | undefined {
    return st.wildcard ? undefined : [...st.names].sort();
  }

  protected send(typeUrl: ResourceTypeUrl, st: DeltaTypeState, force: boolean): boolean {
    const requested = st.wildcard ? undefined : [...st.names].sort();
    const encoded = requested && requested.length === 0 ? [] : this.deps.resources(this.proxy, typeUrl, requested).resources;
    const current = new Map(encoded.map((r) => [r.name, r]));
    const changed: DeltaResourceOut[] = [];
    for (const r of encoded) {
      if (st.known.get(r.name) === r.hash || st.rejected.get(r.name) === r.hash) continue;
      changed.push({ name: r.name, version: r.hash, resource: r.bytes });
    }
    const removed = [...st.known.keys()].filter((n) => !current.has(n)).sort();
    if (!force && changed.length === 0 && removed.length === 0) return false;
    st.beforeSend = new Map(st.known);
    for (const c of changed) st.known.set(c.name, c.version);
    for (const n of removed) st.known.delete(n);
    st.lastNonce = `${++this.nonce}`;
    this.emit(
      encodeDeltaDiscoveryResponse({
        systemVersionInfo: st.lastNonce,
        typeUrl,
        nonce: st.lastNonce,
        resources: changed,
        removedResources: removed,
        controlPlane: { identifier: this.deps.controlPlaneId },
      }),
    );
    return true;
  }
}
