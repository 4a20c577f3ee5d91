import type { UnsupportedField } from '../../core/kind-module';

/** WorkloadEntry fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const workloadEntryUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'network', reason: 'multi-network meshes are not implemented; the endpoint is used as if on the local network' },
];
