import { FilterName, TypeUrl } from '@mizzen/xds-types';
import type { ExtAuthzFilter, MetadataMatcher } from './envoy-types';

/**
 * A mesh `extensionProviders` entry for CUSTOM authorization (Istio MeshConfig
 * `envoyExtAuthzHttp` / `envoyExtAuthzGrpc`), passed in explicitly: generation reads no globals.
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-ExtensionProvider
 */
export interface ExtAuthzProvider {
  name: string;
  protocol: 'http' | 'grpc';
  /** FQDN of the authorizer service, e.g. `ext-authz.foo.svc.cluster.local`. */
  service: string;
  port: number;
  /** Default 600 s, as Istio. */
  timeoutSeconds?: number;
  failOpen?: boolean;
  /** HTTP status sent when the authorizer is unreachable (default 403 Forbidden): a code (`"503"`) or Envoy's enum name. */
  statusOnError?: string;
  pathPrefix?: string;
  /** HTTP only: request headers sent to the authorizer besides Envoy's defaults (Istio `includeRequestHeadersInCheck`). */
  includeRequestHeadersInCheck?: readonly string[];
}

/** Istio's `extAuthzMatchPrefix` and the RBAC shadow metadata key the ext_authz filter checks. */
export const EXT_AUTHZ_POLICY_PREFIX = 'istio-ext-authz';
export const EXT_AUTHZ_SHADOW_STAT_PREFIX = 'istio_ext_authz_';

/**
 * ext_authz runs only when the shadow RBAC filter before it matched a CUSTOM policy: Istio's
 * `generateFilterMatcher` (the shadow rules record the matched policy id in dynamic metadata).
 */
function filterEnabledMetadata(): MetadataMatcher {
  return {
    filter: FilterName.Rbac,
    path: [{ key: `${EXT_AUTHZ_SHADOW_STAT_PREFIX}shadow_effective_policy_id` }],
    value: { stringMatch: { prefix: EXT_AUTHZ_POLICY_PREFIX } },
  };
}

/** Istio `generateHTTPConfig` / `generateGRPCConfig` (pilot/pkg/security/authz/builder/extauthz.go). */
export function extAuthzFilter(p: ExtAuthzProvider): ExtAuthzFilter {
  const cluster = `outbound|${p.port}||${p.service}`;
  const timeout = { seconds: p.timeoutSeconds ?? 600 };
  const common = {
    statusOnError: { code: p.statusOnError === undefined ? 'Forbidden' : /^\d+$/.test(p.statusOnError) ? Number(p.statusOnError) : p.statusOnError },
    ...(p.failOpen ? { failureModeAllow: true } : {}),
    transportApiVersion: 'V3' as const,
    filterEnabledMetadata: filterEnabledMetadata(),
  };
  const service =
    p.protocol === 'grpc'
      ? { grpcService: { envoyGrpc: { clusterName: cluster, authority: p.service }, timeout } }
      : {
          httpService: {
            ...(p.pathPrefix ? { pathPrefix: p.pathPrefix } : {}),
            serverUri: { uri: `http://${p.service}`, cluster, timeout },
            // Istio: each header an exact, case-insensitive matcher.
            ...(p.includeRequestHeadersInCheck?.length ? { authorizationRequest: { allowedHeaders: { patterns: p.includeRequestHeadersInCheck.map((h) => ({ exact: h, ignoreCase: true })) } } } : {}),
          },
        };
  return { name: FilterName.ExtAuthz, typedConfig: { '@type': TypeUrl.ExtAuthz, ...common, ...service } };
}
