import { checkPartialWildcard, checkWildcardDomain, isDNS1123Label } from './dns';
import { isIPAddress } from './ip';

/**
 * Istio `ValidateNamespaceSlashWildcardHostname` for Gateway server hosts and Sidecar egress hosts:
 * `namespace/dnsName`, where namespace is `*`, `.`, a namespace name (or `~` in a Sidecar) and
 * dnsName is an FQDN, `*.suffix` or `*` (Gateways also take an IP, and hosts without a namespace,
 * meaning "any namespace"). Short names are not allowed.
 * https://istio.io/latest/docs/reference/config/networking/gateway/#Server-hosts
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener-hosts
 */
export function checkNamespacedHost(host: string, isGateway: boolean): string[] {
  const slash = host.indexOf('/');
  if (slash < 0) return isGateway ? checkHostPart(host, true) : ['host must be of form namespace/dnsName'];
  const ns = host.slice(0, slash);
  const name = host.slice(slash + 1);
  const errors: string[] = [];
  if (ns === '' || name === '') errors.push('config namespace and dnsName in host entry cannot be empty');
  const specialNs = ns === '*' || ns === '.' || (!isGateway && ns === '~');
  if (ns !== '' && !specialNs && !isDNS1123Label(ns)) errors.push(`invalid namespace value ${JSON.stringify(ns)} in ${isGateway ? 'gateway' : 'sidecar'}`);
  if (name !== '') errors.push(...checkHostPart(name, isGateway));
  return errors;
}

function checkHostPart(name: string, isGateway: boolean): string[] {
  const errors: string[] = [];
  if (name !== '*' && !name.includes('.')) errors.push('short names (non FQDN) are not allowed');
  const domainErr = checkWildcardDomain(name);
  if (domainErr && !(isGateway && isIPAddress(name))) errors.push(domainErr);
  const partial = checkPartialWildcard(name);
  if (partial) errors.push(partial);
  return errors;
}
