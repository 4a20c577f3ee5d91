import { checkFQDN, checkPartialWildcard, checkWildcardDomain } from '../../common/checks/dns';
import { validateExportTo } from '../../common/checks/export-to';
import { checkIPSubnet } from '../../common/checks/ip';
import { validateSelectorLabels } from '../../common/checks/labels';
import { checkPort, checkPortName } from '../../common/checks/ports';
import { checkProtocol, isHTTPProtocol, isTLSProtocol, parseProtocol } from '../../common/checks/protocol';
import type { Diagnostics } from '../../core/diagnostics';
import type { ConfigResource } from '../../core/types';
import { validateEndpoint } from '../workload-entry/validate';
import type { ServiceEntrySpec } from './types';

/**
 * Istio's `ValidateServiceEntry` webhook checks (and the CRD's CEL rules), with field paths.
 * https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export function validateServiceEntry(se: ConfigResource<'ServiceEntry', ServiceEntrySpec>, d: Diagnostics): void {
  const spec = se.spec;
  const resolution = spec.resolution ?? 'NONE';
  if (spec.workloadSelector) validateSelectorLabels(d, 'spec.workloadSelector.labels', spec.workloadSelector.labels);
  if (spec.workloadSelector && spec.endpoints) d.error('spec', 'only one of workloadSelector or endpoints is allowed in a ServiceEntry');
  validateHosts(d, spec);
  const hasCidr = (spec.addresses ?? []).some((a) => a.includes('/'));
  (spec.addresses ?? []).forEach((a, i) => d.errorIf(`spec.addresses[${i}]`, checkIPSubnet(a)));
  if (hasCidr && resolution !== 'NONE' && resolution !== 'STATIC') d.error('spec.addresses', 'CIDR addresses are allowed only for NONE/STATIC resolution types');
  const portNames = validatePorts(d, spec);
  validateEndpoints(d, spec, resolution, portNames);
  // Plain TCP cannot tell hosts apart (no Host header, no SNI), so several hosts need HTTP or TLS ports.
  if (resolution !== 'NONE' && spec.hosts.length > 1) {
    const i = (spec.ports ?? []).findIndex((p) => !isHTTPProtocol(parseProtocol(p.protocol)) && !isTLSProtocol(parseProtocol(p.protocol)));
    if (i >= 0) d.error(`spec.ports[${i}].protocol`, 'multiple hosts provided with non-HTTP, non-TLS ports');
  }
  validateExportTo(d, 'spec.exportTo', se.metadata.namespace, spec.exportTo, { allowNone: true });
}

function validateHosts(d: Diagnostics, spec: ServiceEntrySpec): void {
  if (spec.hosts.length === 0) d.error('spec.hosts', 'service entry must have at least one host');
  spec.hosts.forEach((h, i) => {
    const at = `spec.hosts[${i}]`;
    if (h === '*') {
      d.error(at, 'invalid host *: a ServiceEntry cannot match every host');
      return;
    }
    d.errorIf(at, checkWildcardDomain(h));
    const partial = checkPartialWildcard(h);
    if (partial) d.warn(at, partial);
  });
}

/** Port names and numbers are unique; names are DNS labels; protocols known; numbers 1..65535. */
function validatePorts(d: Diagnostics, spec: ServiceEntrySpec): Set<string> {
  const names = new Set<string>();
  const numbers = new Set<number>();
  (spec.ports ?? []).forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (names.has(p.name)) d.error(`${at}.name`, `service entry port name ${JSON.stringify(p.name)} already defined`);
    if (numbers.has(p.number)) d.error(`${at}.number`, `service entry port ${p.number} already defined`);
    names.add(p.name);
    numbers.add(p.number);
    d.errorIf(`${at}.name`, checkPortName(p.name));
    d.errorIf(`${at}.protocol`, checkProtocol(p.protocol));
    d.errorIf(`${at}.number`, checkPort(p.number));
    if (p.targetPort !== undefined && p.targetPort !== 0) d.errorIf(`${at}.targetPort`, checkPort(p.targetPort));
  });
  return names;
}

/**
 * Resolution/endpoint consistency. NONE takes no endpoints; STATIC endpoints are IPs or unix
 * sockets; DNS endpoints may be hostnames and, without endpoints, the hosts themselves are resolved
 * so they must be FQDNs; DNS_ROUND_ROBIN takes at most one endpoint; DYNAMIC_DNS resolves
 * (wildcard) hosts at request time and takes none.
 */
function validateEndpoints(d: Diagnostics, spec: ServiceEntrySpec, resolution: string, portNames: ReadonlySet<string>): void {
  const endpoints = spec.endpoints ?? [];
  switch (resolution) {
    case 'NONE':
      if (endpoints.length) d.error('spec.endpoints', 'no endpoints should be provided for resolution type NONE');
      if (spec.workloadSelector) d.warn('spec.workloadSelector', 'workloadSelector should not be set when resolution mode is NONE');
      return;
    case 'STATIC':
      // Istio accepts an empty STATIC ServiceEntry (endpoints may come later); warn.
      if (!endpoints.length && !spec.workloadSelector) d.warn('spec.endpoints', 'STATIC resolution without endpoints or a workloadSelector: the service has no endpoints');
      endpoints.forEach((e, i) => validateEndpoint(d, `spec.endpoints[${i}]`, e, { allowHostnames: false, servicePorts: portNames }));
      return;
    case 'DYNAMIC_DNS':
      if (endpoints.length) d.error('spec.endpoints', 'no endpoints should be provided for resolution type DYNAMIC_DNS');
      return;
    default: // DNS, DNS_ROUND_ROBIN
      if (!endpoints.length) {
        spec.hosts.forEach((h, i) => {
          if (h !== '*' && checkFQDN(h)) d.error(`spec.hosts[${i}]`, `hosts must be FQDN if no endpoints are provided for resolution mode ${resolution}`);
        });
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) d.error('spec.endpoints', `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
      endpoints.forEach((e, i) => validateEndpoint(d, `spec.endpoints[${i}]`, e, { allowHostnames: true, servicePorts: portNames }));
  }
}
