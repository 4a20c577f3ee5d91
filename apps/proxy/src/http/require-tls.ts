import type { VirtualHost } from '../config/model';
import type { RequestView } from '../routing';
import { first, type HeaderMap } from './headers';

/**
 * A virtual host's require_tls, checked before its routes: a request whose x-forwarded-proto (set
 * by the connection manager) is not `https` is redirected; EXTERNAL_ONLY exempts requests marked
 * `x-envoy-internal: true`. Istio's Gateway `tls.httpsRedirect` becomes require_tls ALL.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-field-config-route-v3-virtualhost-require-tls
 */
export function requiresTlsRedirect(vh: VirtualHost | undefined, headers: HeaderMap): boolean {
  if (!vh?.requireTls || first(headers, 'x-forwarded-proto') === 'https') return false;
  return vh.requireTls === 'all' || first(headers, 'x-envoy-internal') !== 'true';
}

/** Envoy's SSL redirect: 301 to `https://<host as sent><path>`. */
export function tlsRedirectLocation(view: RequestView): string {
  return `https://${view.authority}${view.path}`;
}
