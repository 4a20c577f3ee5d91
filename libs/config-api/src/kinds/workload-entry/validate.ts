import { checkFQDN } from '../../common/checks/dns';
import { checkUnixAddress, isIPAddress, UNIX_ADDRESS_PREFIX } from '../../common/checks/ip';
import { validateLabels } from '../../common/checks/labels';
import { checkPort, checkPortName } from '../../common/checks/ports';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import type { ConfigResource } from '../../core/types';
import type { WorkloadEntrySpec } from './types';

export interface EndpointRules {
  /** Whether the address may be a DNS name (WorkloadEntry, DNS ServiceEntries) or must be an IP/socket (STATIC). */
  allowHostnames: boolean;
  /** Port names the owning ServiceEntry declares; endpoint ports must use them. */
  servicePorts?: ReadonlySet<string>;
}

/**
 * Istio `validateWorkloadEntry`, shared by WorkloadEntry and ServiceEntry endpoints: an address
 * (unless only a network is given), unix sockets without ports, IPs or FQDNs as allowed, valid
 * port names/numbers and labels.
 */
export function validateEndpoint(d: Diagnostics, path: string, we: WorkloadEntrySpec, rules: EndpointRules): void {
  const addr = we.address ?? '';
  if (addr === '') {
    if (!we.network) {
      d.error(`${path}.address`, 'address is required');
      return;
    }
    d.warn(`${path}.address`, `address is unset with network ${JSON.stringify(we.network)}`);
  }
  const unix = addr.startsWith(UNIX_ADDRESS_PREFIX);
  if (unix) {
    d.errorIf(`${path}.address`, checkUnixAddress(addr.slice(UNIX_ADDRESS_PREFIX.length)));
    if (Object.keys(we.ports ?? {}).length) d.error(`${path}.ports`, `unix endpoint ${addr} must not include ports`);
    if (rules.servicePorts && rules.servicePorts.size !== 1) d.error(`${path}.address`, 'exactly 1 service port required for unix endpoints');
  } else if (addr !== '' && !isIPAddress(addr)) {
    if (!rules.allowHostnames) d.error(`${path}.address`, `endpoint address ${JSON.stringify(addr)} is not a valid IP address`);
    else if (checkFQDN(addr)) d.error(`${path}.address`, `endpoint address ${JSON.stringify(addr)} is not a valid FQDN or an IP address`);
  }
  for (const [name, port] of Object.entries(we.ports ?? {})) {
    const at = keyPath(`${path}.ports`, name);
    if (rules.servicePorts && !rules.servicePorts.has(name)) d.error(at, `endpoint port ${JSON.stringify(name)} is not defined by the service entry`);
    d.errorIf(at, checkPortName(name));
    d.errorIf(at, checkPort(port));
  }
  validateLabels(d, `${path}.labels`, we.labels);
}

/** Istio's `ValidateWorkloadEntry` webhook checks. https://istio.io/latest/docs/reference/config/networking/workload-entry/ */
export function validateWorkloadEntry(we: ConfigResource<'WorkloadEntry', WorkloadEntrySpec>, d: Diagnostics): void {
  validateEndpoint(d, 'spec', we.spec, { allowHostnames: true });
}
