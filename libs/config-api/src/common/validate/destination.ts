import type { Diagnostics } from '../../core/diagnostics';
import { checkWildcardDomain, isDNS1123Label } from '../checks/dns';
import { checkPort } from '../checks/ports';
import type { Destination } from '../messages/destination';

/** Istio `validateSubsetName`. */
export function checkSubsetName(name: string): string | undefined {
  if (name.length === 0) return 'subset name cannot be empty';
  if (!isDNS1123Label(name)) return `subset name is invalid: ${JSON.stringify(name)} (must be a DNS-1123 label)`;
  return undefined;
}

/** Istio `validateDestination`: a host (not `*`), an optional DNS-label subset and a valid port. */
export function validateDestination(d: Diagnostics, path: string, dest: Destination | undefined): void {
  if (!dest) return;
  if (dest.host === '*') d.error(`${path}.host`, 'invalid destination host *');
  else d.errorIf(`${path}.host`, dest.host === '' ? 'destination host is required' : checkWildcardDomain(dest.host));
  if (dest.subset !== undefined) d.errorIf(`${path}.subset`, checkSubsetName(dest.subset));
  if (dest.port?.number !== undefined) d.errorIf(`${path}.port.number`, checkPort(dest.port.number));
}
