import type { TrustBundle } from '@mizzen/contracts';
import { certFingerprint } from '@mizzen/pki';
import { X509Certificate } from 'node:crypto';
import type { CaState } from '../ca/ca-state';

/** The trust bundle published to KV `mizzen-trust`/`bundle`: the active root first, then retiring ones. */
export function toTrustBundle(state: CaState, trustDomain: string, now: Date): TrustBundle {
  const root = (pem: string, retireAt?: Date) => ({
    pem,
    sha256: certFingerprint(pem),
    notAfter: new Date(new X509Certificate(pem).validTo).toISOString(),
    state: retireAt ? ('retiring' as const) : ('active' as const),
    ...(retireAt ? { retireAt: retireAt.toISOString() } : {}),
  });
  return { trustDomain, roots: [root(state.rootPem), ...state.retiring.map((r) => root(r.pem, r.retireAt))], updatedAt: now.toISOString() };
}
