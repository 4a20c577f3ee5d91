import type { CaCredential } from '@mizzen/pki';

/** A root that was rotated out: still trusted (in the bundle) until `retireAt`. */
export interface RetiringRoot {
  pem: string;
  retireAt: Date;
}

/** A root and the intermediate that signs under it. */
export interface CaHierarchy {
  /** The root certificate (PEM). */
  rootPem: string;
  /** The root with its key (self-signed mode only). */
  root?: CaCredential;
  /** The CA that signs leaves (an intermediate). */
  signer: CaCredential;
  /** Certificates from the signer up to, not including, the root: `[ca-cert, ...]`. */
  intermediates: string[];
}

/**
 * A new root announced but not signing yet (rotation, step one): it is in the trust bundle from
 * now on, so every proxy trusts it before the first certificate under it exists; it replaces the
 * active root at `activateAt`, which then stays trusted for `gracePeriodMs`.
 */
export interface PendingRoot extends CaHierarchy {
  root: CaCredential;
  activateAt: Date;
  gracePeriodMs: number;
}

/**
 * What the CA holds: the active hierarchy, a pending one during a rotation, and rotated-out roots.
 * `self-signed`: Citadel made the root and keeps its key, so it can rotate. `plugged-in`:
 * Istio-style `cacerts` from an operator; no root key here.
 */
export interface CaState extends CaHierarchy {
  mode: 'self-signed' | 'plugged-in';
  pending?: PendingRoot;
  retiring: RetiringRoot[];
}

/** Every trusted root (the trust bundle): the active one first, then the pending one, then retiring ones. */
export function trustedRoots(state: CaState): string[] {
  return [state.rootPem, ...(state.pending ? [state.pending.rootPem] : []), ...state.retiring.map((r) => r.pem)];
}
