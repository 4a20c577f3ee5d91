import type { ProxyNode } from '@mizzen/mesh-model';
import { FilterName, TypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { authorizationPoliciesFor, DRY_RUN_ANNOTATION, rbacPolicies } from './authz-filters';
import type { RbacFilter } from './envoy-types';

/**
 * RBAC HTTP filters for a proxyless gRPC server (gRFC A41, as grpc-js-xds parses them): a DENY
 * filter then an ALLOW filter, `rules` only. grpc-js refuses action LOG and has no ext_authz, so
 * AUDIT and CUSTOM policies are not generated (as Istio's grpcgen); dry-run policies are left
 * out. Metadata matchers (request principals, JWT claims) never match in gRPC. gRPC requires
 * unique filter names in one HTTP connection manager, so each is named after its action.
 * https://github.com/grpc/proposal/blob/master/A41-xds-rbac.md
 */
export function grpcServerRbacFilters(snapshot: MeshSnapshot, proxy: ProxyNode): RbacFilter[] {
  const p = authorizationPoliciesFor(snapshot, proxy);
  const enforced = (list: typeof p.ALLOW) => list.filter((x) => x.metadata.annotations?.[DRY_RUN_ANNOTATION] !== 'true');
  const out: RbacFilter[] = [];
  const deny = enforced(p.DENY);
  const allow = enforced(p.ALLOW);
  if (deny.length) out.push({ name: `${FilterName.Rbac}.deny`, typedConfig: { '@type': TypeUrl.RBAC, rules: { action: 'DENY', policies: rbacPolicies(deny, 'DENY') } } });
  if (allow.length) out.push({ name: `${FilterName.Rbac}.allow`, typedConfig: { '@type': TypeUrl.RBAC, rules: { action: 'ALLOW', policies: rbacPolicies(allow, 'ALLOW') } } });
  return out;
}
