import { TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { HTTP_PROXY_LISTENER, HTTP_PROXY_PORT, HTTP_PROXY_ROUTE, inboundClusterName, listenerName } from '../../naming/cluster-name';
import { ZERO_DURATION } from '../common/durations';
import { hcmWithRds, hcmWithRoutes, httpListener } from '../common/hcm';
import type { GenerationContext, Generator } from '../types';
import { outboundL4Listeners } from './l4-listeners';

/**
 * Sidecar LDS (interception mode NONE, Istio's Sidecar `captureMode: NONE` shape):
 * - `outbound_http_proxy` on `<ip>:15001`: an HTTP proxy listener (Istio's HTTP_PROXY egress
 *   port) routed by RDS `http_proxy`; applications reach it through standard `HTTP_PROXY`.
 * - `<ip>_<port>` per inbound port: forwards to the application through `inbound|<port>||`.
 * - outbound TCP/TLS listeners per non-HTTP service port (see l4-listeners.ts).
 */
export const sidecarListeners: Generator = {
  typeUrl: TypeUrl.Listener,
  generate({ snapshot, proxy }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [
      {
        typeUrl: TypeUrl.Listener,
        name: HTTP_PROXY_LISTENER,
        body: httpListener(HTTP_PROXY_LISTENER, proxy.ip, HTTP_PROXY_PORT, hcmWithRds(HTTP_PROXY_LISTENER, HTTP_PROXY_ROUTE), 'OUTBOUND'),
      },
    ];
    for (const p of [...proxy.inbound].sort((a, b) => a.port - b.port)) {
      const name = listenerName(proxy.ip, p.port);
      const cluster = inboundClusterName(p.port);
      const routeConfig = {
        name: cluster,
        validateClusters: { value: false },
        virtualHosts: [
          { name: `inbound|http|${p.port}`, domains: ['*'], routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster, timeout: ZERO_DURATION } }] },
        ],
      };
      out.push({ typeUrl: TypeUrl.Listener, name, body: httpListener(name, proxy.ip, p.port, hcmWithRoutes(`inbound_${p.port}`, routeConfig), 'INBOUND') });
    }
    out.push(...outboundL4Listeners(snapshot, proxy));
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  },
};
