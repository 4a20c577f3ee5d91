import type { ServerTLSSettings } from '@mizzen/config-api';
import { type InboundPort, isHttpProtocol, type ProxyNode } from '@mizzen/mesh-model';
import { type Filter, type FilterChain, type HttpFilter, type Listener, type RouteConfiguration, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { inboundClusterName, listenerName } from '../../naming/cluster-name';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import { ZERO_DURATION } from '../common/durations';
import { HCM_FILTER, hcmWithRoutes, httpFilters } from '../common/hcm';
import { TCP_PROXY_FILTER, TLS_INSPECTOR } from '../common/tcp-proxy';
import { asEnvoyFilter, inboundSecurityHttpFilters } from '../security';
import { inboundPortsFor } from './inbound-ports';
import { type EffectiveMTLSMode, peerAuthnModeFor } from '../security/peer-authn';
import { serverTlsTransportSocket } from '../security/server-tls-context';
import { networkRbacFilters } from '../security/tcp-rbac';
import { ALPN_DOWNSTREAM_HTTP, inboundMtlsTransportSocket } from '../security/tls-context';

/**
 * Whether an inbound port is served through an HTTP connection manager. UNKNOWN (a port named
 * without a protocol) stays HTTP, as Mizzen always served inbound ports; TCP, TLS, HTTPS and the
 * database protocols get tcp_proxy (the application terminates its own TLS).
 */
const servedAsHttp = (p: InboundPort): boolean => isHttpProtocol(p.protocol) || p.protocol === 'UNKNOWN';

/**
 * `<ip>_<port>` per inbound port: the workload's side of the mesh, forwarding to the application
 * through `inbound|<port>||`, with the port's PeerAuthentication mode (Istio listener_inbound.go):
 * - STRICT: tls_inspector, one chain matching `transportProtocol: tls` that terminates mTLS (the
 *   client must present a mesh certificate); plaintext matches no chain and is closed.
 * - PERMISSIVE: that mTLS chain plus a `raw_buffer` chain with the same filters.
 * - DISABLE: one plaintext chain, no listener filter.
 * A Sidecar ingress listener with `tls` replaces that chain whatever the mode (Istio
 * `buildInboundFilterchains` with custom TLS settings): one `transportProtocol: tls` chain
 * terminating TLS with the listener's certificate files (and client CA for MUTUAL), as a gateway
 * server does; plaintext is closed.
 * HTTP ports carry the security HTTP filters (CUSTOM authz, jwt_authn, RBAC) before fault, CORS
 * and router; TCP ports carry network RBAC before tcp_proxy.
 */
export function inboundListeners(snapshot: MeshSnapshot, proxy: ProxyNode): XdsResource[] {
  const security = inboundSecurityHttpFilters(snapshot, proxy, { extensionProviders: snapshot.mesh.extensionProviders }).map(asEnvoyFilter);
  const tcpRbac = networkRbacFilters(snapshot, proxy).map(asEnvoyFilter);
  return [...inboundPortsFor(snapshot, proxy)]
    .sort((a, b) => a.port - b.port)
    .map((p) => {
      const name = listenerName(proxy.ip, p.port);
      const http = servedAsHttp(p);
      const filters = http ? [httpInboundFilter(p, security)] : [...tcpRbac, tcpInboundFilter(p)];
      const body = p.tls ? ingressTlsListener(name, proxy.ip, p.port, p.tls, filters, http) : inboundListener(name, proxy.ip, p.port, peerAuthnModeFor(snapshot, proxy, p.port), filters, http);
      return { typeUrl: TypeUrl.Listener, name, body };
    });
}

const listenerBase = (name: string, ip: string, port: number): Listener => ({ name, address: { socketAddress: { address: ip, portValue: port } }, trafficDirection: 'INBOUND', filterChains: [] });

/** A Sidecar ingress listener's own TLS: one chain for TLS connections, terminated with its settings. */
function ingressTlsListener(name: string, ip: string, port: number, tls: ServerTLSSettings, filters: Filter[], http: boolean): Listener {
  const transportSocket = serverTlsTransportSocket(tls, http ? ALPN_DOWNSTREAM_HTTP : []);
  return { ...listenerBase(name, ip, port), listenerFilters: [TLS_INSPECTOR], filterChains: [{ filterChainMatch: { transportProtocol: 'tls' }, transportSocket, filters }] };
}

function inboundListener(name: string, ip: string, port: number, mode: EffectiveMTLSMode, filters: Filter[], http: boolean): Listener {
  const base = listenerBase(name, ip, port);
  if (mode === 'DISABLE') return { ...base, filterChains: [{ filters }] };
  const mtls: FilterChain = { filterChainMatch: { transportProtocol: 'tls' }, transportSocket: inboundMtlsTransportSocket(http), filters };
  const plaintext: FilterChain = { filterChainMatch: { transportProtocol: 'raw_buffer' }, filters };
  return { ...base, listenerFilters: [TLS_INSPECTOR], filterChains: mode === 'STRICT' ? [mtls] : [mtls, plaintext] };
}

function httpInboundFilter(p: InboundPort, security: readonly HttpFilter[]): Filter {
  const cluster = inboundClusterName(p.port);
  const routeConfig: RouteConfiguration = {
    name: cluster,
    validateClusters: { value: false },
    virtualHosts: [{ name: `inbound|http|${p.port}`, domains: ['*'], routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster, timeout: ZERO_DURATION } }] }],
  };
  return { name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcmWithRoutes(`inbound_${p.port}`, routeConfig, httpFilters(security)) } };
}

function tcpInboundFilter(p: InboundPort): Filter {
  const cluster = inboundClusterName(p.port);
  return { name: TCP_PROXY_FILTER, typedConfig: { '@type': TypeUrl.TcpProxy, statPrefix: cluster, cluster } };
}
