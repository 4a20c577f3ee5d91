import type { ServerTLSSettings } from '@mizzen/config-api';
import { type FilterChain, type Listener, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { gatewayRouteName } from '../../naming/cluster-name';
import { HCM_FILTER, hcmWithRds } from '../common/hcm';
import { TLS_INSPECTOR } from '../common/tcp-proxy';
import type { GenerationContext, Generator } from '../types';
import { passthroughChains, tcpServerChain } from './l4-chains';
import { type BoundServer, httpsRouteName, serversByPort, splitServerHost } from './servers';

/**
 * Gateway LDS: one listener `0.0.0.0_<port>` per server port, bound on the gateway's own address
 * (or the server's `bind`), like Istio's gateway listeners. Per port: plain HTTP servers share
 * RDS `http.<port>`; each HTTPS (SIMPLE) server terminates TLS with its certificate files in a
 * filter chain matched by SNI; TLS PASSTHROUGH servers forward by SNI; TCP servers use tcp_proxy.
 * Servers whose certificate comes from `credentialName` are skipped (no secret store in local
 * mode; Galley warns about the field).
 */
export const gatewayListeners: Generator = {
  typeUrl: TypeUrl.Listener,
  generate({ snapshot, proxy }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    for (const [port, servers] of [...serversByPort(snapshot, proxy)].sort(([a], [b]) => a - b)) {
      const chains: FilterChain[] = [];
      const name = `0.0.0.0_${port}`;
      for (const bs of servers.filter((s) => s.kind === 'https' && hasCertFiles(s.server.tls))) chains.push(httpsChain(bs));
      chains.push(...passthroughChains(snapshot, proxy, servers.filter((s) => s.kind === 'tls-passthrough')));
      const http = servers.filter((s) => s.kind === 'http');
      if (http.length) chains.push(hcmChain({ ...hcmWithRds(name, gatewayRouteName(port)), useRemoteAddress: { value: true } }));
      else {
        const tcp = tcpServerChain(snapshot, proxy, servers.filter((s) => s.kind === 'tcp'));
        if (tcp) chains.push(tcp);
      }
      if (!chains.length) continue;
      const bind = servers.find((s) => s.server.bind)?.server.bind ?? proxy.ip;
      const tlsAware = chains.some((c) => c.filterChainMatch?.serverNames || c.transportSocket);
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

function hasCertFiles(tls: ServerTLSSettings | undefined): boolean {
  return !!tls?.serverCertificate && !!tls.privateKey;
}

function hcmChain(hcm: ReturnType<typeof hcmWithRds>): FilterChain {
  return { filters: [{ name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcm } }] };
}

/** An HTTPS server: TLS terminated with the server's certificate files, then its own routes. */
function httpsChain(bs: BoundServer): FilterChain {
  const tls = bs.server.tls as ServerTLSSettings;
  const sni = (bs.server.hosts ?? []).map((h) => splitServerHost(h).host).filter((h) => h !== '*');
  return {
    ...(sni.length ? { filterChainMatch: { serverNames: sni } } : {}),
    transportSocket: {
      name: 'envoy.transport_sockets.tls',
      typedConfig: {
        '@type': TypeUrl.DownstreamTlsContext,
        commonTlsContext: {
          tlsCertificates: [{ certificateChain: { filename: tls.serverCertificate }, privateKey: { filename: tls.privateKey } }],
          alpnProtocols: ['h2', 'http/1.1'],
        },
      },
    },
    filters: [{ name: HCM_FILTER, typedConfig: { '@type': TypeUrl.HttpConnectionManager, ...hcmWithRds(httpsRouteName(bs), httpsRouteName(bs)), useRemoteAddress: { value: true } } }],
  };
}
