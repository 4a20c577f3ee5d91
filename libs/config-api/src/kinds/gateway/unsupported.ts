import type { UnsupportedField } from '../../core/kind-module';

/** Gateway fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const gatewayUnsupportedFields: readonly UnsupportedField[] = [
  { path: 'servers[*].defaultEndpoint', reason: 'Istio documents this field as NOT IMPLEMENTED and ignores it; so does Mizzen' },
];
