import { checkWildcardDomain } from '../../common/checks/dns';

/**
 * Istio `ValidateWildcardDomainForVirtualServiceBoundToGateway`: a wildcard domain, or, for SNI
 * hosts, the `outbound_.<port>_._.<hostname>` names that AUTO_PASSTHROUGH gateways route on.
 */
export function checkGatewayBoundHost(host: string, sni: boolean): string | undefined {
  if (sni && host.startsWith('outbound_')) {
    const parts = host.split('_');
    if (parts.length < 4) return `domain name ${host} invalid, should follow 'outbound_.<PORT>_._.<HOSTNAME>' format`;
    const port = parts[1].replace(/^\.+|\.+$/g, '');
    const hostname = parts[3].replace(/^\.+|\.+$/g, '');
    if (!/[0-9]/.test(port)) return `domain name ${JSON.stringify(host)} invalid (label ${JSON.stringify(port)} invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format`;
    if (!/[a-zA-Z]/.test(hostname)) return `domain name ${JSON.stringify(host)} invalid (label ${JSON.stringify(hostname)} invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format`;
    return undefined;
  }
  return checkWildcardDomain(host);
}
