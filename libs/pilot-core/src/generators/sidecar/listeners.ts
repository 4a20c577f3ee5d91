import { TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { HTTP_PROXY_LISTENER, HTTP_PROXY_PORT, HTTP_PROXY_ROUTE } from '../../naming/cluster-name';
import { hcmWithRds, httpListener } from '../common/hcm';
import type { GenerationContext, Generator } from '../types';
import { inboundListeners } from './inbound-listeners';
import { outboundL4Listeners } from './l4-listeners';

/**
 * Sidecar LDS (interception mode NONE, Istio's Sidecar `captureMode: NONE` shape):
 * - `outbound_http_proxy` on `<ip>:15001`: an HTTP proxy listener (Istio's HTTP_PROXY egress
 *   port) routed by RDS `http_proxy`; applications reach it through standard `HTTP_PROXY`.
 * - `<ip>_<port>` per inbound port: forwards to the application through `inbound|<port>||`,
 *   terminating mesh mTLS and enforcing authorization (see inbound-listeners.ts).
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
    out.push(...inboundListeners(snapshot, proxy));
    out.push(...outboundL4Listeners(snapshot, proxy));
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  },
};
