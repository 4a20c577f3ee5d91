import type { UnsupportedField } from '../../core/kind-module';

/** ServiceEntry fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const serviceEntryUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'addresses', reason: 'local mode routes by host name, not by virtual IP' },
];
