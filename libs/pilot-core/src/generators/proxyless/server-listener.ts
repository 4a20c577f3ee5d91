import type { ProxyNode } from '@mizzen/mesh-model';
import { FilterName, type Listener, TypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { grpcServerRbacFilters } from '../security/grpc-rbac';

/**
 * The listener resource name an xDS-enabled gRPC server asks for (gRFC A36), with Istio's
 * bootstrap template `grpc/server?xds.resource.listening_address=%s`.
 */
export const SERVER_LISTENER_PREFIX = 'grpc/server?xds.resource.listening_address=';

/** `IP:port` (or `[v6]:port`) of a server listener name; undefined for other names. */
export function serverListeningAddress(name: string): { address: string; port: number } | undefined {
  if (!name.startsWith(SERVER_LISTENER_PREFIX)) return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(name.slice(SERVER_LISTENER_PREFIX.length));
  const port = m ? Number(m[2]) : 0;
  return m && port > 0 && port < 65536 ? { address: m[1], port } : undefined;
}

/**
 * A proxyless gRPC server's listener (gRFC A36, as Istio's grpcgen builds it): the listening
 * address, one filter chain with an HTTP connection manager whose inline route accepts every call
 * (`non_forwarding_action`), and the workload's AuthorizationPolicies as RBAC filters before the
 * router (gRFC A41; DENY then ALLOW). Plaintext: proxyless mTLS (xDS certificate providers) is not
 * generated.
 */
export function proxylessServerListener(snapshot: MeshSnapshot, proxy: ProxyNode, name: string, at: { address: string; port: number }): Listener {
  return {
    name,
    address: { socketAddress: { address: at.address, portValue: at.port } },
    filterChains: [
      {
        name: 'inbound',
        filters: [
          {
            name: FilterName.HttpConnectionManager,
            typedConfig: {
              '@type': TypeUrl.HttpConnectionManager,
              statPrefix: `inbound_${at.address}_${at.port}`,
              routeConfig: { name: 'inbound', virtualHosts: [{ name: 'inbound', domains: ['*'], routes: [{ match: { prefix: '' }, nonForwardingAction: {} }] }] },
              httpFilters: [...grpcServerRbacFilters(snapshot, proxy), { name: FilterName.Router, typedConfig: { '@type': TypeUrl.Router } }],
            },
          },
        ],
      },
    ],
  };
}
