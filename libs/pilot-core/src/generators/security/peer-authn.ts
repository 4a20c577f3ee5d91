import type { MutualTLSMode, PeerAuthentication } from '@mizzen/config-api';
import type { ProxyNode, Service } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { policiesForWorkload } from './policy-selection';

export type EffectiveMTLSMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

const set = (m: MutualTLSMode | undefined): m is EffectiveMTLSMode => m !== undefined && m !== 'UNSET';

/**
 * The mTLS mode of one inbound port of a workload, as Istio's `ComposePeerAuthentication`: the
 * oldest mesh policy (root namespace, no selector), then the oldest namespace policy, then the
 * oldest workload policy (selector, not in the root namespace), each overriding the previous
 * unless UNSET; then the workload policy's `portLevelMtls` for this port (UNSET inherits). With
 * nothing set the mode is PERMISSIVE.
 * https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export function peerAuthnModeFor(snapshot: MeshSnapshot, proxy: ProxyNode, port: number): EffectiveMTLSMode {
  const root = snapshot.mesh.rootNamespace;
  const all = policiesForWorkload(snapshot, 'PeerAuthentication', proxy);
  const hasSelector = (p: PeerAuthentication): boolean => Object.keys(p.spec.selector?.matchLabels ?? {}).length > 0;
  const mesh = all.find((p) => !hasSelector(p) && p.metadata.namespace === root);
  const namespace = all.find((p) => !hasSelector(p) && p.metadata.namespace !== root);
  const workload = all.find((p) => hasSelector(p) && p.metadata.namespace !== root);
  let mode: EffectiveMTLSMode = 'PERMISSIVE';
  for (const p of [mesh, namespace, workload]) {
    const m = p?.spec.mtls?.mode;
    if (set(m)) mode = m;
  }
  const portMode = workload?.spec.portLevelMtls?.[String(port)]?.mode;
  return set(portMode) ? portMode : mode;
}

/**
 * The mTLS mode a client assumes of a service when choosing auto mTLS (Istio
 * `BestEffortInferServiceMTLSMode`): the oldest namespace-wide PeerAuthentication of the
 * service's namespace, else the oldest mesh-wide one, else PERMISSIVE. Workload-level policies are
 * not consulted (a workload-level DISABLE needs a DestinationRule `tls.mode: DISABLE`, as in Istio).
 */
export function serviceMtlsMode(snapshot: MeshSnapshot, svc: Service): EffectiveMTLSMode {
  const root = snapshot.mesh.rootNamespace;
  const wide = snapshot.configsOfKind('PeerAuthentication').filter((p) => !Object.keys(p.spec.selector?.matchLabels ?? {}).length);
  const namespace = svc.namespace !== root ? wide.find((p) => p.metadata.namespace === svc.namespace) : undefined;
  const mesh = wide.find((p) => p.metadata.namespace === root);
  for (const p of [namespace, mesh]) {
    const m = p?.spec.mtls?.mode;
    if (set(m)) return m;
  }
  return 'PERMISSIVE';
}
