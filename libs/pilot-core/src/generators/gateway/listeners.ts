import type { ServerTLSSettings } from '@mizzen/config-api';
import { type FilterChain, type Listener, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { gatewayRouteName } from '../../naming/cluster-name';
import { HCM_FILTER, hcmWithRds, httpFilters } from '../common/hcm';
import { TLS_INSPECTOR } from '../common/tcp-proxy';
import { asEnvoyFilter, inboundSecurityHttpFilters } from '../security';
import type { GenerationContext, Generator } from '../types';
import { passthroughChains, tcpServerChain, terminatedTlsChain } from './l4-chains';
import { serverNamesFor, SniClaims, sniHostsOf } from './merge';
import { gatewayServerTransportSocket, hasServerCertificate } from './server-tls';
import { type BoundServer, httpsRouteName, serversByPort } from './servers';

/**
 * Gateway LDS: one listener `0.0.0.0_<port>` per server port, bound on the gateway's own address
 * (or the server's `bind`), like Istio's gateway listeners. Per port: plain HTTP servers share
 * RDS `http.<port>`; each HTTPS server terminates TLS in a filter chain matched by SNI, with its
 * `credentialName` (SDS `kubernetes://<name>` over ADS, MUTUAL verifying clients against
 * `kubernetes://<name>-cacert`) or its certificate files (server-tls.ts); a `protocol: TLS` server
 * with SIMPLE / MUTUAL / OPTIONAL_MUTUAL terminates TLS the same way and forwards the plaintext by
 * its VirtualServices' `tcp` routes (l4-chains.ts); TLS PASSTHROUGH servers forward by SNI; TCP servers use tcp_proxy.
 * Every filter chain match on a listener is unique: TLS servers repeating a host are merged away
 * (merge.ts), a passthrough SNI name goes to its first route only, and TLS chains sharing a port
 * with a plaintext chain match on the transport protocol.
 */
export const gatewayListeners: Generator = {
  typeUrl: TypeUrl.Listener,
  generate({ snapshot, proxy }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    // Policies selecting the gateway workload (and root-namespace ones) apply to its HTTP servers, as in Istio.
    const filters = httpFilters(inboundSecurityHttpFilters(snapshot, proxy, { extensionProviders: snapshot.mesh.extensionProviders }).map(asEnvoyFilter));
    for (const [port, servers] of [...serversByPort(snapshot, proxy)].sort(([a], [b]) => a - b)) {
      const name = `0.0.0.0_${port}`;
      const https = servers.filter((s) => s.kind === 'https' && hasServerCertificate(s.server.tls));
      const terminated = servers.flatMap((s) => (s.kind === 'tls-terminated' && hasServerCertificate(s.server.tls) ? (terminatedTlsChain(snapshot, proxy, s) ?? []) : []));
      const claims = new SniClaims([...https, ...servers.filter((s) => s.kind === 'tls-terminated')].flatMap(sniHostsOf));
      const tlsChains = [...https.map((s) => httpsChain(s, filters)), ...terminated, ...passthroughChains(snapshot, proxy, servers.filter((s) => s.kind === 'tls-passthrough'), claims)];
      const plain = plaintextChain(snapshot, proxy, name, port, servers, filters);
      const chains = plain ? [...tlsChains.map(onlyTls), plain] : tlsChains;
      if (!chains.length) continue;
      const bind = servers.find((s) => s.server.bind)?.server.bind ?? proxy.ip;
      const tlsAware = chains.some((c) => c.filterChainMatch?.serverNames || c.filterChainMatch?.transportProtocol || c.transportSocket);
      const body: Listener = {
        name,
        address: { socketAddress: { address: bind, portValue: port } },
        trafficDirection: 'OUTBOUND',
        filterChains: chains,
        ...(tlsAware ? { listenerFilters: [TLS_INSPECTOR] } : {}),
      };
      out.push({ typeUrl: TypeUrl.Listener, name, body });
    }
    return out;
  },
};

/** The port's plaintext chain: its HTTP servers' HCM (RDS `http.<port>`), else a TCP server's tcp_proxy. */
function plaintextChain(snapshot: GenerationContext['snapshot'], proxy: GenerationContext['proxy'], name: string, port: number, servers: readonly BoundServer[], filters: ReturnType<typeof httpFilters>): FilterChain | undefined {
  if (servers.some((s) => s.kind === 'http')) return hcmChain({ ...hcmWithRds(name, gatewayRouteName(port), filters), useRemoteAddress: { value: true } });
  return tcpServerChain(snapshot, proxy, servers.filter((s) => s.kind === 'tcp'));
}

/**
 * A TLS chain on a port that also serves plaintext: matched on `transport_protocol: tls` (set by
 * the tls_inspector), so it never shares an empty match with the plaintext chain, which then
 * takes every connection that is not TLS. Without this an HTTPS server for `*` (no server names)
 * and an HTTP server on the same port would be two chains with the same match, which Envoy
 * rejects. (Istio instead keeps only the first of the two servers and drops the other.)
 */
function onlyTls(chain: FilterChain): FilterChain {
  return { ...chain, filterChainMatch: { ...chain.filterChainMatch, transportProtocol: 'tls' } };
}

function hcmChain(hcm: ReturnType<typeof hcmWithRds>): FilterChain {
  return { filters: [{ name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcm } }] };
}

/** An HTTPS server: TLS terminated with the server's credential or certificate files, then its own routes. */
function httpsChain(bs: BoundServer, filters: ReturnType<typeof httpFilters>): FilterChain {
  const serverNames = serverNamesFor(sniHostsOf(bs));
  return {
    ...(serverNames ? { filterChainMatch: { serverNames } } : {}),
    transportSocket: gatewayServerTransportSocket(bs.server.tls as ServerTLSSettings),
    filters: [{ name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcmWithRds(httpsRouteName(bs), httpsRouteName(bs), filters), useRemoteAddress: { value: true } } }],
  };
}
