import type { ServerTLSSettings } from '@mizzen/config-api';
import type { TransportSocket } from '@mizzen/xds-types';
import { serverTlsTransportSocket } from '../security/server-tls-context';
import { ALPN_DOWNSTREAM_HTTP } from '../security/tls-context';

export { hasServerCertificate } from '../security/server-tls-context';

/**
 * The transport socket (a DownstreamTlsContext) of an HTTPS gateway server, as Istio's
 * `buildGatewayListenerTLSContext`: the server's credentials (SDS `kubernetes://<name>` over ADS)
 * or certificate files, client verification for MUTUAL / OPTIONAL_MUTUAL (see
 * `serverTlsTransportSocket`), ALPN `h2`, `http/1.1`.
 * https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export function gatewayServerTransportSocket(tls: ServerTLSSettings): TransportSocket {
  return serverTlsTransportSocket(tls, ALPN_DOWNSTREAM_HTTP);
}
