/**
 * The resource envelope shared by every `networking.istio.io` and `security.istio.io` kind: Kubernetes-style
 * `apiVersion`/`kind`/`metadata`/`spec`. Specs are the Istio protos in their JSON (camelCase) form.
 * https://istio.io/latest/docs/reference/config/networking/
 */

/** The API group of the networking kinds (VirtualService ... Sidecar). */
export const API_GROUP = 'networking.istio.io';

/** Versions Istio serves for these kinds; the schemas are identical across them (Istio aliases v1 and v1beta1 to v1alpha3). */
export const API_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;

/**
 * The API group of PeerAuthentication, RequestAuthentication and AuthorizationPolicy, served in
 * v1 and v1beta1 with one schema (istio/api `security/v1beta1/*.proto`; v1 is an alias).
 * https://istio.io/latest/docs/reference/config/security/
 */
export const SECURITY_API_GROUP = 'security.istio.io';
export const SECURITY_API_VERSIONS = ['v1', 'v1beta1'] as const;

export type ApiVersion =
  | `${typeof API_GROUP}/${(typeof API_VERSIONS)[number]}`
  | `${typeof SECURITY_API_GROUP}/${(typeof SECURITY_API_VERSIONS)[number]}`;

/** The group and served versions of a kind; `apiVersion` must be `<group>/<version>` of its own kind. */
export interface ApiGroupVersions {
  readonly group: string;
  readonly versions: readonly string[];
}

export const NETWORKING_API: ApiGroupVersions = { group: API_GROUP, versions: API_VERSIONS };
export const SECURITY_API: ApiGroupVersions = { group: SECURITY_API_GROUP, versions: SECURITY_API_VERSIONS };

export type ConfigKind =
  | 'VirtualService'
  | 'DestinationRule'
  | 'Gateway'
  | 'ServiceEntry'
  | 'WorkloadEntry'
  | 'Sidecar'
  | 'PeerAuthentication'
  | 'RequestAuthentication'
  | 'AuthorizationPolicy';

/** The subset of Kubernetes ObjectMeta the mesh uses. `namespace` is always set after validation. */
export interface ConfigMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  creationTimestamp?: string;
  resourceVersion?: string;
}

export interface ConfigResource<K extends ConfigKind, S> {
  /** As written, e.g. `networking.istio.io/v1beta1` or `security.istio.io/v1`. */
  apiVersion: string;
  kind: K;
  metadata: ConfigMeta;
  spec: S;
}
