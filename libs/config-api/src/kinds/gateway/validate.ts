import { checkIPAddress, checkUnixAddress, UNIX_ADDRESS_PREFIX } from '../../common/checks/ip';
import { checkNamespacedHost } from '../../common/checks/namespaced-host';
import { checkPort } from '../../common/checks/ports';
import { isHTTPProtocol, isTLSProtocol, parseProtocol } from '../../common/checks/protocol';
import { validateServerTLS } from '../../common/validate/server-tls';
import type { Diagnostics } from '../../core/diagnostics';
import type { ConfigResource } from '../../core/types';
import type { GatewaySpec, Server } from './types';

/**
 * Istio's `ValidateGateway` webhook checks, with field paths.
 * https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export function validateGateway(gw: ConfigResource<'Gateway', GatewaySpec>, d: Diagnostics): void {
  const servers = gw.spec.servers ?? [];
  if (servers.length === 0) d.error('spec.servers', 'gateway must have at least one server');
  const portNames = new Map<string, number>();
  servers.forEach((s, i) => {
    const at = `spec.servers[${i}]`;
    validateServer(d, at, s);
    const prior = portNames.get(s.port.name);
    if (prior !== undefined) d.error(`${at}.port.name`, `port names in servers must be unique: duplicate name ${s.port.name} (also in spec.servers[${prior}])`);
    else portNames.set(s.port.name, i);
    if (s.tls?.httpsRedirect && !isHTTPProtocol(parseProtocol(s.port.protocol))) d.warn(`${at}.tls.httpsRedirect`, 'tls.httpsRedirect should only be used with http servers');
    // Mizzen-specific: Pilot terminates gateway TLS with a server's certificate files or credentials only.
    if (s.tls?.mode === 'ISTIO_MUTUAL' && isTLSProtocol(parseProtocol(s.port.protocol))) d.warn(`${at}.tls.mode`, 'ISTIO_MUTUAL is not implemented on Mizzen gateways: the server is not served');
  });
}

function validateServer(d: Diagnostics, path: string, s: Server): void {
  if (s.hosts.length === 0) d.error(`${path}.hosts`, 'server config must contain at least one host');
  s.hosts.forEach((h, i) => {
    for (const msg of checkNamespacedHost(h, true)) d.error(`${path}.hosts[${i}]`, msg);
  });
  const portOk = validateServerPort(d, `${path}.port`, s);
  validateBind(d, path, s);
  validateServerTLS(d, `${path}.tls`, s.tls);
  if (!portOk) return;
  const protocol = parseProtocol(s.port.protocol);
  const mode = s.tls?.mode ?? 'PASSTHROUGH';
  if (isTLSProtocol(protocol) && !s.tls) {
    d.error(`${path}.tls`, 'server must have TLS settings for HTTPS/TLS protocols');
  } else if (!isTLSProtocol(protocol) && s.tls) {
    // A plain-text HTTP server may only carry `httpsRedirect` (its TLS mode stays the default, PASSTHROUGH).
    const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
    if (!isHTTPProtocol(protocol)) d.error(`${path}.tls`, 'server cannot have TLS settings for non HTTPS/TLS ports');
    else if (!passthrough || s.tls.caCertificates || s.tls.privateKey || s.tls.serverCertificate) {
      d.error(`${path}.tls`, 'server cannot have TLS settings for plain text HTTP ports');
    }
  }
}

/** Istio `validateServerPort`; returns false when the port itself is invalid. */
function validateServerPort(d: Diagnostics, path: string, s: Server): boolean {
  const before = d.errors.length;
  const port = s.port;
  if (!parseProtocol(port.protocol)) {
    d.error(`${path}.protocol`, `invalid protocol ${JSON.stringify(port.protocol)}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, HTTPS, TLS, MONGO, REDIS, MYSQL, TCP`);
  }
  if (port.number > 0 || !(s.bind ?? '').startsWith(UNIX_ADDRESS_PREFIX)) d.errorIf(`${path}.number`, checkPort(port.number));
  if (port.targetPort !== undefined && port.targetPort > 0) d.error(`${path}.targetPort`, 'targetPort has no impact on Gateways');
  if (port.name === '') d.error(`${path}.name`, 'port name must be set');
  return d.errors.length === before;
}

/** Istio `validateServerBind`: an IP, or a `unix://` socket with port number 0. */
function validateBind(d: Diagnostics, path: string, s: Server): void {
  const bind = s.bind ?? '';
  if (bind.startsWith(UNIX_ADDRESS_PREFIX)) {
    d.errorIf(`${path}.bind`, checkUnixAddress(bind.slice(UNIX_ADDRESS_PREFIX.length)));
    if (s.port.number !== 0) d.error(`${path}.port.number`, 'port number must be 0 for unix domain socket');
  } else if (bind !== '') d.errorIf(`${path}.bind`, checkIPAddress(bind));
}
