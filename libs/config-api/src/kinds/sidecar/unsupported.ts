import type { UnsupportedField } from '../../core/kind-module';

/** Sidecar fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const sidecarUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'ingress', reason: 'inbound listeners come from the declared ports of the workload' },
  { path: 'egress[*].port', reason: 'egress listeners are not scoped per port; the hosts apply to every port' },
  { path: 'egress[*].bind', reason: 'local-mode sidecars bind their workload address' },
  { path: 'egress[*].captureMode', reason: 'local-mode sidecars do not capture traffic' },
  { path: 'inboundConnectionPool', reason: 'not implemented' },
  { path: 'outboundTrafficPolicy.egressProxy', reason: 'not implemented' },
];
