import type { UnsupportedField } from '../../core/kind-module';

/**
 * PeerAuthentication fields the Mizzen data plane does not implement. Every mode, selector and
 * portLevelMtls is enforced by the proxy's inbound chains (docs/security.md); nothing to warn about.
 */
export const peerAuthenticationUnsupportedFields: readonly UnsupportedField[] = [];
