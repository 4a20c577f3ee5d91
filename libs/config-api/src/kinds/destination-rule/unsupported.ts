import type { UnsupportedField } from '../../core/kind-module';

/** DestinationRule fields the Mizzen data plane parses but does not implement yet: Galley warns with their path. */
export const destinationRuleUnsupportedFields: readonly UnsupportedField[] = [
  ...['trafficPolicy', 'trafficPolicy.portLevelSettings[*]', 'subsets[*].trafficPolicy', 'subsets[*].trafficPolicy.portLevelSettings[*]'].map((at) => ({
    path: `${at}.tls.credentialName`,
    reason: 'for sidecars, which ignore it as in Istio (gateways read it over SDS as kubernetes://<name>); sidecars originate TLS with clientCertificate/privateKey/caCertificates files (SIMPLE verifies against the system roots without caCertificates)',
  })),
];
