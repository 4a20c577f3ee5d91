import type { TrustBundle, TrustRoot } from '@mizzen/contracts';
import { certFingerprint } from '@mizzen/pki';
import { X509Certificate } from 'node:crypto';
import type { CaState } from '../ca/ca-state';

/** The trust bundle published to KV `mizzen-trust`/`bundle`: the active root first, then the pending one, then retiring ones. */
export function toTrustBundle(state: CaState, trustDomain: string, now: Date): TrustBundle {
  const root = (pem: string, at: { state: TrustRoot['state']; activateAt?: Date; retireAt?: Date }): TrustRoot => ({
    pem,
    sha256: certFingerprint(pem),
    notAfter: new Date(new X509Certificate(pem).validTo).toISOString(),
    state: at.state,
    ...(at.activateAt ? { activateAt: at.activateAt.toISOString() } : {}),
    ...(at.retireAt ? { retireAt: at.retireAt.toISOString() } : {}),
  });
  const p = state.pending;
  return {
    trustDomain,
    roots: [root(state.rootPem, { state: 'active' }), ...(p ? [root(p.rootPem, { state: 'pending', activateAt: p.activateAt })] : []), ...state.retiring.map((r) => root(r.pem, { state: 'retiring', retireAt: r.retireAt }))],
    updatedAt: now.toISOString(),
  };
}
