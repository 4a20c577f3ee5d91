import type { UnsupportedField } from '../../core/kind-module';

/**
 * `destinationSubnets` needs the connection's original destination IP: Pilot turns it into filter
 * chain `prefix_ranges` for sidecars in TPROXY capture mode (Istio's `destination_subnets`).
 * Galley cannot know which proxies will see a route, so it warns instead of rejecting.
 */
const DESTINATION_SUBNETS =
  'applies only to sidecars in TPROXY capture mode (proxy --interception-mode TPROXY); sidecars in local mode (NONE) and gateways see no original destination IP and apply the route to every destination';

/** VirtualService fields the Mizzen data plane parses but does not implement (fully): Galley warns with their path. */
export const virtualServiceUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'tcp[*].match[*].destinationSubnets', reason: DESTINATION_SUBNETS, partial: true },
  { path: 'tls[*].match[*].destinationSubnets', reason: DESTINATION_SUBNETS, partial: true },
];
