import type { UnsupportedField } from '../../core/kind-module';

const NOT_ENFORCED = 'Pilot computes the mTLS mode (peerAuthnModeFor) but the Mizzen proxy does not terminate mTLS yet (issue 4): inbound traffic stays plaintext whatever the mode';

/**
 * PeerAuthentication fields the Mizzen data plane does not enforce yet. The mode is what matters:
 * until sidecars speak mTLS, STRICT does not refuse plaintext, so the whole spec (path `''`) warns.
 */
export const peerAuthenticationUnsupportedFields: readonly UnsupportedField[] = [
  { path: '', reason: NOT_ENFORCED },
];
