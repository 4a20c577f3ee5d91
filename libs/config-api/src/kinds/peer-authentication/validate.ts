import { validateSelectorLabels } from '../../common/checks/labels';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import type { ConfigResource } from '../../core/types';
import type { PeerAuthenticationSpec } from './types';

/**
 * Istio `ValidatePeerAuthentication` (pkg/config/validation) and the CRD's CEL rules:
 * portLevelMtls only with a non-empty selector, not empty when present, ports 1-65535.
 * https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export function validatePeerAuthentication(pa: ConfigResource<'PeerAuthentication', PeerAuthenticationSpec>, d: Diagnostics): void {
  const spec = pa.spec;
  if (spec.selector) validateSelectorLabels(d, 'spec.selector.matchLabels', spec.selector.matchLabels);
  const hasSelector = Object.keys(spec.selector?.matchLabels ?? {}).length > 0;
  if (!spec.portLevelMtls) return;
  const ports = Object.keys(spec.portLevelMtls);
  if (!hasSelector) d.error('spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS (portLevelMtls requires selector)');
  if (ports.length === 0) d.error('spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element');
  for (const port of ports) {
    const n = /^\d+$/.test(port) ? Number(port) : NaN;
    if (!(n >= 1 && n <= 65535)) d.error(keyPath('spec.portLevelMtls', port), 'port must be between 1-65535');
  }
}
