import { randomUUID } from 'node:crypto';
import { formatWorkloadId } from '@mizzen/pki';
import type { Clock } from '../platform/clock';
import type { Authenticator, AuthOutcome } from './identity';
import { peekKid, signJwtEs256, verifyJwtEs256 } from './jwt-es256';
import type { TokenKey } from './token-key';

export const TOKEN_ISSUER = 'mizzen-citadel';
export const TOKEN_AUDIENCE = 'mizzen-ca';
/** Clock skew tolerated on `nbf` only; an expired token is expired. */
const SKEW_S = 60;

export interface MintedToken {
  token: string;
  spiffeId: string;
  expiresAt: Date;
}

/**
 * Local-mode bootstrap tokens: ES256 JWTs signed with Citadel's token key that bind one workload
 * identity (namespace + service account, as `ns`/`sa` and the SPIFFE ID in `sub`) until `exp`.
 * Minted over NATS for control-plane callers; presented by workloads to CreateCertificate.
 */
export class BootstrapTokens implements Authenticator {
  readonly name = 'bootstrap-token';

  constructor(
    private readonly key: TokenKey,
    private readonly trustDomain: string,
    private readonly clock: Clock,
  ) {}

  mint(namespace: string, serviceAccount: string, ttlMs: number): MintedToken {
    const spiffeId = formatWorkloadId({ trustDomain: this.trustDomain, namespace, serviceAccount });
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + Math.max(1, Math.floor(ttlMs / 1000));
    const token = signJwtEs256({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: spiffeId, ns: namespace, sa: serviceAccount, iat: now, nbf: now, exp, jti: randomUUID() }, this.key.privateKey, this.key.kid);
    return { token, spiffeId, expiresAt: new Date(exp * 1000) };
  }

  /** Tokens whose `kid` is Citadel's are judged here; anything else may be a Kubernetes token. */
  accepts(token: string): boolean {
    return peekKid(token) === this.key.kid;
  }

  async authenticate(token: string): Promise<AuthOutcome> {
    const v = verifyJwtEs256(token, this.key.publicKey, this.key.kid);
    if (!v.ok) return { ok: false, reason: `bootstrap token rejected: ${v.reason}` };
    const c = v.claims;
    const now = this.clock.now() / 1000;
    if (c.iss !== TOKEN_ISSUER) return { ok: false, reason: 'bootstrap token rejected: wrong issuer' };
    if (c.aud !== TOKEN_AUDIENCE) return { ok: false, reason: 'bootstrap token rejected: wrong audience' };
    if (typeof c.exp !== 'number' || c.exp <= now) return { ok: false, reason: `bootstrap token rejected: expired${typeof c.exp === 'number' ? ` at ${new Date(c.exp * 1000).toISOString()}` : ''}` };
    if (typeof c.nbf !== 'number' || c.nbf > now + SKEW_S) return { ok: false, reason: 'bootstrap token rejected: not valid yet' };
    if (typeof c.ns !== 'string' || typeof c.sa !== 'string') return { ok: false, reason: 'bootstrap token rejected: no ns/sa claims' };
    let expected: string;
    try {
      expected = formatWorkloadId({ trustDomain: this.trustDomain, namespace: c.ns, serviceAccount: c.sa });
    } catch {
      return { ok: false, reason: 'bootstrap token rejected: invalid ns/sa claims' };
    }
    if (c.sub !== expected) return { ok: false, reason: 'bootstrap token rejected: sub does not match ns/sa or the trust domain' };
    return { ok: true, identity: { namespace: c.ns, serviceAccount: c.sa, via: 'bootstrap-token' } };
  }
}
