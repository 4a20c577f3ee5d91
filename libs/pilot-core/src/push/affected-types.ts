import { matchesSelector, type ProxyNode } from '@mizzen/mesh-model';
import { TypeUrl, type ResourceTypeUrl } from '@mizzen/xds-types';
import { jwksSourceOf } from '../generators/security/jwks-sources';
import { policiesForWorkload, policyAppliesTo } from '../generators/security/policy-selection';
import { serviceIdentities } from '../generators/security/service-identities';
import { boundGateways, type MeshSnapshot } from '../snapshot/mesh-snapshot';
import type { MeshChange } from './mesh-change';

const ALL: readonly ResourceTypeUrl[] = [TypeUrl.Listener, TypeUrl.RouteConfiguration, TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment];

/**
 * Which resource types of `proxy` a change can alter ("does this change touch this proxy",
 * Istio's ProxyNeedsPush + per-type filtering). Conservative: a returned type is regenerated and
 * pushed only if its content hash differs; an omitted type is never regenerated.
 */
export function affectedTypes(change: MeshChange, proxy: ProxyNode, before: MeshSnapshot, after: MeshSnapshot): Set<ResourceTypeUrl> {
  if (change.full) return new Set(ALL);
  const out = new Set<ResourceTypeUrl>();
  const add = (...t: ResourceTypeUrl[]) => t.forEach((x) => out.add(x));
  for (const key of change.configs) {
    const [kind, namespace, name] = key.split('/');
    switch (kind) {
      case 'VirtualService':
        // HTTP routes live in RDS; tcp/tls routes in the L4 listeners (LDS), so an HTTP-only
        // VirtualService (before and after) leaves every listener as it was.
        if (virtualServiceTouches(proxy, namespace, name, before) || virtualServiceTouches(proxy, namespace, name, after)) {
          add(TypeUrl.RouteConfiguration);
          if (hasL4Routes(namespace, name, before) || hasL4Routes(namespace, name, after)) add(TypeUrl.Listener);
        }
        break;
      case 'DestinationRule':
        if (proxy.type === 'router' || proxy.type === 'sidecar' || proxy.type === 'proxyless') add(TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.RouteConfiguration);
        break;
      case 'Gateway':
        if (proxy.type === 'router' && (gatewaySelects(proxy, namespace, name, before) || gatewaySelects(proxy, namespace, name, after))) {
          add(TypeUrl.Listener, TypeUrl.RouteConfiguration);
        }
        break;
      case 'Sidecar':
        if (proxy.type !== 'router' && proxy.namespace === namespace) add(...ALL);
        break;
      case 'PeerAuthentication':
        // The inbound chains of the workloads it selects; a namespace- or mesh-wide policy also
        // steers every client's auto mTLS to that namespace's services (CDS), as Istio pushes both.
        if (proxy.type === 'sidecar' && [before, after].some((s) => securityPolicyApplies(proxy, kind, namespace, name, s))) add(TypeUrl.Listener);
        if (proxy.type !== 'proxyless' && [before, after].some((s) => isWidePeerAuthentication(s, namespace, name))) add(TypeUrl.Cluster);
        break;
      case 'RequestAuthentication':
      case 'AuthorizationPolicy':
        // jwt_authn and RBAC live in the inbound listeners of the workloads the policy selects
        // (for a proxyless gRPC server, its server listener: gRFC A36/A41).
        if ([before, after].some((s) => securityPolicyApplies(proxy, kind, namespace, name, s))) add(TypeUrl.Listener);
        break;
      default:
        // ServiceEntry/WorkloadEntry reach proxies through the registry records derived from them.
        break;
    }
  }
  if (change.services.size) {
    // Services shape clusters, virtual hosts and (sidecar TCP/TLS ports, proxyless targets) listeners.
    add(TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.RouteConfiguration);
    if (proxy.type !== 'router') add(TypeUrl.Listener);
  }
  if (change.jwks.size && (proxy.type === 'sidecar' || proxy.type === 'router') && usesJwks(proxy, change.jwks, after)) add(TypeUrl.Listener);
  if (change.workloads.size) {
    add(TypeUrl.ClusterLoadAssignment);
    // Auto mTLS verifies the service accounts of a service's workloads: a new or vanished account
    // changes the clusters' SANs (Istio turns such an endpoint update into a full push).
    if (proxy.type !== 'proxyless' && workloadIdentitiesChanged(change, before, after)) add(TypeUrl.Cluster);
  }
  return out;
}

/** Whether a RequestAuthentication applying to the proxy resolves its keys from one of `keys`. */
function usesJwks(proxy: ProxyNode, keys: ReadonlySet<string>, snap: MeshSnapshot): boolean {
  return policiesForWorkload(snap, 'RequestAuthentication', proxy).some((ra) =>
    (ra.spec.jwtRules ?? []).some((r) => {
      const s = jwksSourceOf(r, snap.mesh.jwksFetchMode);
      return !!s && keys.has(s.key);
    }),
  );
}

type SecurityKind = 'PeerAuthentication' | 'RequestAuthentication' | 'AuthorizationPolicy';

/** Whether a security policy, as it is in `snap`, applies to the proxy's workload. */
function securityPolicyApplies(proxy: ProxyNode, kind: SecurityKind, namespace: string, name: string, snap: MeshSnapshot): boolean {
  const c = snap.config(kind, namespace, name);
  return !!c && c.kind === kind && policyAppliesTo(c as Parameters<typeof policyAppliesTo>[0], snap.mesh.rootNamespace, proxy);
}

/** A PeerAuthentication without a selector (namespace- or mesh-wide): it feeds auto mTLS. */
function isWidePeerAuthentication(snap: MeshSnapshot, namespace: string, name: string): boolean {
  const c = snap.config('PeerAuthentication', namespace, name);
  return !!c && c.kind === 'PeerAuthentication' && Object.keys(c.spec.selector?.matchLabels ?? {}).length === 0;
}

/** Per change (one flush, many proxies): computed once. */
const identitiesMemo = new WeakMap<MeshChange, { before: MeshSnapshot; after: MeshSnapshot; changed: boolean }>();

/**
 * Whether the workload changes alter the SPIFFE identities of a service that selects workloads in
 * their namespaces (the SANs of its auto mTLS clusters).
 */
export function workloadIdentitiesChanged(change: MeshChange, before: MeshSnapshot, after: MeshSnapshot): boolean {
  const hit = identitiesMemo.get(change);
  if (hit && hit.before === before && hit.after === after) return hit.changed;
  const namespaces = new Set([...change.workloads].map((k) => k.slice(0, k.indexOf('/'))));
  const hosts = new Set<string>();
  for (const snap of [before, after]) for (const s of snap.allServices()) if (namespaces.has(s.namespace) && s.selector && !s.endpoints) hosts.add(s.hostname);
  const ids = (snap: MeshSnapshot, host: string): string => {
    const svc = snap.service(host);
    return svc ? serviceIdentities(snap, svc).join(',') : '';
  };
  const changed = [...hosts].some((h) => ids(before, h) !== ids(after, h));
  identitiesMemo.set(change, { before, after, changed });
  return changed;
}

function hasL4Routes(namespace: string, name: string, snap: MeshSnapshot): boolean {
  const vs = snap.config('VirtualService', namespace, name);
  return !!vs && vs.kind === 'VirtualService' && ((vs.spec.tcp?.length ?? 0) > 0 || (vs.spec.tls?.length ?? 0) > 0);
}

function virtualServiceTouches(proxy: ProxyNode, namespace: string, name: string, snap: MeshSnapshot): boolean {
  const vs = snap.config('VirtualService', namespace, name);
  if (!vs || vs.kind !== 'VirtualService') return false;
  const gws = boundGateways(vs);
  if (proxy.type !== 'router') return gws.includes('mesh');
  return snap.gatewaysSelecting(proxy.labels).some((g) => gws.includes(`${g.metadata.namespace}/${g.metadata.name}`));
}

function gatewaySelects(proxy: ProxyNode, namespace: string, name: string, snap: MeshSnapshot): boolean {
  const gw = snap.config('Gateway', namespace, name);
  return !!gw && gw.kind === 'Gateway' && matchesSelector(proxy.labels, gw.spec.selector ?? {});
}
