import { Inject, Injectable } from '@nestjs/common';
import { AUTHENTICATORS, type Authenticator, type AuthOutcome } from './identity';

/**
 * Proves who is calling: the bearer token goes to the first enabled authenticator that accepts it
 * (a Citadel bootstrap token by its key id; anything else to Kubernetes TokenReview if enabled).
 */
@Injectable()
export class CallerAuth {
  constructor(@Inject(AUTHENTICATORS) private readonly authenticators: readonly Authenticator[]) {}

  async authenticate(bearer: string | undefined): Promise<AuthOutcome> {
    if (!bearer) return { ok: false, reason: 'no bearer token (send gRPC metadata "authorization: Bearer <token>")' };
    const judge = this.authenticators.find((a) => a.accepts(bearer));
    if (!judge) return { ok: false, reason: `token not issued by this Citadel (enabled: ${this.authenticators.map((a) => a.name).join(', ')})` };
    return judge.authenticate(bearer);
  }
}

/** The token of an `authorization: Bearer <token>` value (RFC 6750 2.1), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
