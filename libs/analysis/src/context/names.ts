import type { AnyConfig } from '@mizzen/config-api';
import { DEFAULT_DOMAIN_SUFFIX, type Labels, type Service } from '@mizzen/mesh-model';
import type { ResourceRef } from '../message';

export const refOf = (c: AnyConfig): ResourceRef => ({ kind: c.kind, namespace: c.metadata.namespace, name: c.metadata.name });

/** `namespace/name`, Istio's `FullName`. */
export const fullName = (c: { metadata: { namespace: string; name: string } }): string => `${c.metadata.namespace}/${c.metadata.name}`;

/** A registry service as a resource: `Service default/reviews` for `reviews.default.svc.cluster.local`, else its hostname. */
export function serviceRef(s: Service): ResourceRef {
  const suffix = `.${s.namespace}.svc.${DEFAULT_DOMAIN_SUFFIX}`;
  const name = s.hostname.endsWith(suffix) ? s.hostname.slice(0, -suffix.length) : s.hostname;
  return { kind: 'Service', namespace: s.namespace, name };
}

/** A label selector as Kubernetes prints it (`app=a,version=v1`, keys sorted), which Istio's messages quote. */
export function selectorString(selector: Labels | undefined): string {
  return Object.keys(selector ?? {})
    .sort()
    .map((k) => `${k}=${selector?.[k]}`)
    .join(',');
}

/** A gateway reference from a VirtualService (`name` or `namespace/name`) as `namespace/name`. */
export function qualifyGateway(gateway: string, namespace: string): string {
  return gateway.includes('/') ? gateway : `${namespace}/${gateway}`;
}

export const MESH_GATEWAY = 'mesh';
