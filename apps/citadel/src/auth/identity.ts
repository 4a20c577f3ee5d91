/** An identity the caller proved, and how. */
export interface ProvenIdentity {
  namespace: string;
  serviceAccount: string;
  via: 'bootstrap-token' | 'kubernetes';
}

export type AuthOutcome = { ok: true; identity: ProvenIdentity } | { ok: false; reason: string };

/** Authenticates a bearer credential presented with a certificate request. */
export interface Authenticator {
  readonly name: string;
  /** Whether this authenticator should judge the token (so a foreign token is not called forged). */
  accepts(token: string): boolean;
  authenticate(token: string): Promise<AuthOutcome>;
}

export const AUTHENTICATORS = Symbol('citadel:authenticators');
