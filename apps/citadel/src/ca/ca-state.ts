import type { CaCredential } from '@mizzen/pki';

/** A root that was rotated out: still trusted (in the bundle) until `retireAt`. */
export interface RetiringRoot {
  pem: string;
  retireAt: Date;
}

/**
 * What the CA holds. `self-signed`: Citadel made the root and keeps its key, so it can rotate.
 * `plugged-in`: Istio-style `cacerts` from an operator; no root key here.
 */
export interface CaState {
  mode: 'self-signed' | 'plugged-in';
  /** The active root certificate (PEM). */
  rootPem: string;
  /** The root with its key (self-signed mode only). */
  root?: CaCredential;
  /** The CA that signs leaves (an intermediate). */
  signer: CaCredential;
  /** Certificates from the signer up to, not including, the root: `[ca-cert, ...]`. */
  intermediates: string[];
  retiring: RetiringRoot[];
}

/** Every trusted root, the active one first (the trust bundle). */
export function trustedRoots(state: CaState): string[] {
  return [state.rootPem, ...state.retiring.map((r) => r.pem)];
}
