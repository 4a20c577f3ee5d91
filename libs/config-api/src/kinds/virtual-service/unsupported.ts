import type { UnsupportedField } from '../../core/kind-module';

/** VirtualService fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const virtualServiceUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'tcp[*].match[*].destinationSubnets', reason: 'local mode has no destination IPs; the route applies to every destination' },
  { path: 'tls[*].match[*].destinationSubnets', reason: 'local mode has no destination IPs; the route applies to every destination' },
];
