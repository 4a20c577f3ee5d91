import { checkFQDN } from '../../common/checks/dns';
import { isIPAddress } from '../../common/checks/ip';
import { checkIntPercent } from '../../common/checks/percent';
import { checkPort } from '../../common/checks/ports';
import { checkDuration } from '../../common/duration';
import { validateConnectionPool } from '../../common/validate/connection-pool';
import type { Diagnostics } from '../../core/diagnostics';
import { validateClientTLS } from './client-tls';
import { validateLoadBalancer } from './load-balancer';
import type { OutlierDetection, PortTrafficPolicy, TrafficPolicy, TunnelSettings } from './types';

/**
 * Istio `validateTrafficPolicy`: not empty, `tunnel` and `proxyProtocol` exclusive, and every
 * part valid. https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export function validateTrafficPolicy(d: Diagnostics, path: string, tp: TrafficPolicy | undefined): void {
  if (!tp) return;
  if (Object.values(tp).every((v) => v === undefined)) {
    d.error(path, 'traffic policy must have at least one field');
    return;
  }
  if (tp.tunnel && tp.proxyProtocol) {
    d.error(path, 'tunnel and proxyProtocol must not be set together');
    return;
  }
  validateOutlierDetection(d, `${path}.outlierDetection`, tp.outlierDetection);
  validateConnectionPool(d, `${path}.connectionPool`, tp.connectionPool);
  validateLoadBalancer(d, `${path}.loadBalancer`, tp.loadBalancer, tp.outlierDetection);
  validateClientTLS(d, `${path}.tls`, tp.tls);
  (tp.portLevelSettings ?? []).forEach((p, i) => validatePortTrafficPolicy(d, `${path}.portLevelSettings[${i}]`, p));
  validateTunnel(d, `${path}.tunnel`, tp.tunnel);
}

function validatePortTrafficPolicy(d: Diagnostics, path: string, p: PortTrafficPolicy): void {
  if (!p.port) d.error(`${path}.port`, 'port-level traffic policy must have a port');
  else d.errorIf(`${path}.port.number`, checkPort(p.port.number ?? 0));
  if (!p.outlierDetection && !p.connectionPool && !p.loadBalancer && !p.tls) {
    d.error(path, 'port traffic policy must have at least one field');
    return;
  }
  validateOutlierDetection(d, `${path}.outlierDetection`, p.outlierDetection);
  validateConnectionPool(d, `${path}.connectionPool`, p.connectionPool);
  validateLoadBalancer(d, `${path}.loadBalancer`, p.loadBalancer, p.outlierDetection);
  validateClientTLS(d, `${path}.tls`, p.tls);
}

/** Istio `validateOutlierDetection`. https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection */
function validateOutlierDetection(d: Diagnostics, path: string, o: OutlierDetection | undefined): void {
  if (!o) return;
  if (o.baseEjectionTime !== undefined) d.errorIf(`${path}.baseEjectionTime`, checkDuration(o.baseEjectionTime));
  if (o.interval !== undefined) d.errorIf(`${path}.interval`, checkDuration(o.interval));
  if (o.consecutiveErrors !== undefined && o.consecutiveErrors !== 0) {
    d.warn(`${path}.consecutiveErrors`, 'outlier detection consecutiveErrors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead');
  }
  if (!o.splitExternalLocalOriginErrors && (o.consecutiveLocalOriginFailures ?? 0) > 0) {
    d.error(`${path}.consecutiveLocalOriginFailures`, 'consecutiveLocalOriginFailures is set, but splitExternalLocalOriginErrors is false');
  }
  d.errorIf(`${path}.maxEjectionPercent`, checkIntPercent(o.maxEjectionPercent));
  d.errorIf(`${path}.minHealthPercent`, checkIntPercent(o.minHealthPercent));
}

/** Istio `validateTunnelSettings`: CONNECT or POST to an FQDN/IP and a valid port. */
function validateTunnel(d: Diagnostics, path: string, t: TunnelSettings | undefined): void {
  if (!t) return;
  if (t.protocol && t.protocol !== 'CONNECT' && t.protocol !== 'POST') d.error(`${path}.protocol`, 'tunnel protocol must be "CONNECT" or "POST"');
  const hostErr = checkFQDN(t.targetHost);
  if (hostErr && !isIPAddress(t.targetHost)) d.error(`${path}.targetHost`, `tunnel target host must be a valid FQDN or IP address: ${hostErr}`);
  d.errorIf(`${path}.targetPort`, checkPort(t.targetPort));
}
