import { checkIPAddress, checkUnixAddress, UNIX_ADDRESS_PREFIX } from '../../common/checks/ip';
import { checkPort, checkPortName } from '../../common/checks/ports';
import { checkProtocol, isHTTPProtocol, isTLSProtocol, parseProtocol } from '../../common/checks/protocol';
import { validateConnectionPool } from '../../common/validate/connection-pool';
import { validateServerTLS } from '../../common/validate/server-tls';
import type { Diagnostics } from '../../core/diagnostics';
import type { IstioIngressListener } from './types';

/**
 * Istio's Sidecar ingress checks: a valid port (unique across listeners), an IP bind, a loopback
 * or wildcard `defaultEndpoint` (or a unix socket), TLS only on HTTPS/TLS ports and without the
 * gateway-only settings. https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioIngressListener
 */
export function validateIngressListeners(d: Diagnostics, path: string, listeners: readonly IstioIngressListener[] | undefined): void {
  const ports = new Set<number>();
  (listeners ?? []).forEach((l, i) => {
    const at = `${path}[${i}]`;
    const port = l.port;
    if (port.targetPort !== undefined && port.targetPort > 0) d.error(`${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
    if (port.name) d.errorIf(`${at}.port.name`, checkPortName(port.name));
    d.errorIf(`${at}.port.protocol`, checkProtocol(port.protocol));
    d.errorIf(`${at}.port.number`, checkPort(port.number ?? 0));
    if (l.bind) d.errorIf(`${at}.bind`, checkIPAddress(l.bind));
    if (ports.has(port.number ?? 0)) d.error(`${at}.port.number`, 'sidecar: ports on IP bound listeners must be unique');
    ports.add(port.number ?? 0);
    if (l.defaultEndpoint) validateDefaultEndpoint(d, `${at}.defaultEndpoint`, l.defaultEndpoint);
    if (l.tls) validateIngressTLS(d, at, l);
    validateConnectionPool(d, `${at}.connectionPool`, l.connectionPool);
    if (l.connectionPool?.http && !isHTTPProtocol(parseProtocol(port.protocol))) {
      d.warn(`${at}.connectionPool.http`, `HTTP connection pool settings are configured for port ${port.number ?? 0} but its protocol is not HTTP (${port.protocol ?? 'unset'}); only TCP settings will apply`);
    }
  });
}

function validateIngressTLS(d: Diagnostics, at: string, l: IstioIngressListener): void {
  const tls = l.tls;
  if (!tls) return;
  const tp = `${at}.tls`;
  if (tls.subjectAltNames?.length) d.error(`${tp}.subjectAltNames`, 'sidecar: subjectAltNames is not supported in ingress tls');
  if (tls.httpsRedirect) d.error(`${tp}.httpsRedirect`, 'sidecar: httpsRedirect is not supported');
  if (tls.credentialName) d.error(`${tp}.credentialName`, 'sidecar: credentialName is not currently supported');
  if (tls.credentialNames?.length) d.error(`${tp}.credentialNames`, 'sidecar: credentialNames is not currently supported');
  if (tls.tlsCertificates?.length) d.error(`${tp}.tlsCertificates`, 'sidecar: tlsCertificates is not currently supported');
  if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') d.error(`${tp}.mode`, `cannot set mode to ${tls.mode} in sidecar ingress tls`);
  if (!isTLSProtocol(parseProtocol(l.port.protocol))) d.error(tp, 'server cannot have TLS settings for non HTTPS/TLS ports');
  validateServerTLS(d, tp, tls);
}

const LOCAL_HOSTS = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);

/** `defaultEndpoint` is a loopback/wildcard `host:port` or a `unix://` socket. */
function validateDefaultEndpoint(d: Diagnostics, path: string, endpoint: string): void {
  if (endpoint.startsWith(UNIX_ADDRESS_PREFIX)) {
    d.errorIf(path, checkUnixAddress(endpoint.slice(UNIX_ADDRESS_PREFIX.length)));
    return;
  }
  const split = splitHostPort(endpoint);
  if (!split) {
    d.error(path, `invalid address ${JSON.stringify(endpoint)}: expected host:port`);
    return;
  }
  if (split.host !== '' && !LOCAL_HOSTS.has(split.host)) {
    d.error(path, 'sidecar: defaultEndpoint must be of form 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port>, unix://filepath or unset');
  }
  if (!/^\d+$/.test(split.port)) d.error(path, `sidecar: defaultEndpoint port (${split.port}) is not a number`);
  else d.errorIf(path, checkPort(Number(split.port)));
}

/** Go's `net.SplitHostPort`: `host:port` or `[v6]:port`. */
function splitHostPort(s: string): { host: string; port: string } | undefined {
  if (s.startsWith('[')) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(s);
    return m ? { host: m[1], port: m[2] } : undefined;
  }
  const i = s.lastIndexOf(':');
  if (i < 0 || s.indexOf(':') !== i) return undefined;
  return { host: s.slice(0, i), port: s.slice(i + 1) };
}
