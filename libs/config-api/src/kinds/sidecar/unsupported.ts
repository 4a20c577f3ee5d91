import type { UnsupportedField } from '../../core/kind-module';

/** Sidecar fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const sidecarUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'ingress[*].bind', reason: 'local-mode sidecars bind their workload address' },
  { path: 'ingress[*].captureMode', reason: 'local-mode sidecars do not capture traffic' },
  { path: 'egress[*].bind', reason: 'local-mode sidecars bind their workload address' },
  { path: 'egress[*].captureMode', reason: 'local-mode sidecars do not capture traffic' },
];
