import type { UnsupportedField } from '../../core/kind-module';

/** ServiceEntry fields the Mizzen data plane parses but does not implement (fully): Galley warns with their path. */
export const serviceEntryUnsupportedFields: readonly UnsupportedField[] = [
  {
    path: 'addresses',
    reason:
      "applies only to sidecars in TPROXY capture mode (proxy --interception-mode TPROXY), whose TCP/TLS listeners match these addresses; sidecars in local mode (NONE) route by host name and ignore them, and HTTP goes through the sidecar's HTTP proxy port by host name in both modes",
    partial: true,
  },
];
