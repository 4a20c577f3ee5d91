import type { Service } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { spiffeId } from './tls-context';

/** Per-snapshot memo: a snapshot is immutable, so this changes no result (and dies with it). */
const memo = new WeakMap<MeshSnapshot, Map<string, readonly string[]>>();

/**
 * The SPIFFE identities of a service's endpoints, `spiffe://<trustDomain>/ns/<ns>/sa/<sa>`, plus a
 * ServiceEntry's `subjectAltNames`, sorted and unique: the SANs auto mTLS (and ISTIO_MUTUAL without
 * DestinationRule `subjectAltNames`) accepts from the service's servers (Istio
 * `PushContext.ServiceAccounts`, which appends the ServiceEntry's SANs). The endpoints of a
 * service are in its namespace (selected workloads) or declared by it (ServiceEntry endpoints);
 * endpoints without a service account add nothing.
 */
export function serviceIdentities(snapshot: MeshSnapshot, svc: Service): readonly string[] {
  let bySvc = memo.get(snapshot);
  if (!bySvc) memo.set(snapshot, (bySvc = new Map()));
  const key = `${svc.namespace}/${svc.hostname}`;
  const hit = bySvc.get(key);
  if (hit) return hit;
  const accounts = new Set<string>();
  for (const port of svc.ports.slice(0, 1)) {
    for (const e of snapshot.endpoints(svc, port)) if (e.serviceAccount) accounts.add(e.serviceAccount);
  }
  const ids = Object.freeze([...new Set([...[...accounts].map((sa) => spiffeId(snapshot.mesh.trustDomain, svc.namespace, sa)), ...(svc.subjectAltNames ?? [])])].sort());
  bySvc.set(key, ids);
  return ids;
}
