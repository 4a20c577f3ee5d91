import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label (lower case letters, digits, -)').max(63);

/**
 * `mizzen.citadel.token.v1` (local mode): Citadel mints a bootstrap token for one workload
 * identity. The workload presents it to CreateCertificate as `authorization: Bearer <token>` to
 * prove it may hold `spiffe://<trust-domain>/ns/<namespace>/sa/<serviceAccount>`. Only
 * control-plane components (meshctl, Pilot) may call this: enforce it with NATS permissions.
 */
export const tokenRequest = z.strictObject({
  namespace: dnsLabel,
  serviceAccount: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS-1123 subdomain').max(253),
  /** Token lifetime; Citadel's default (24 h) when absent, refused above its maximum. */
  ttlSeconds: z.number().int().positive().optional(),
  /** Who asks (`meshctl`, `pilot-1`), for Citadel's log. */
  requester: z.string().min(1),
});
export type TokenRequest = z.infer<typeof tokenRequest>;

export const tokenReply = z.object({
  /** A compact JWS (ES256) naming the identity; opaque to the caller. */
  token: z.string(),
  spiffeId: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TokenReply = z.infer<typeof tokenReply>;

export const CitadelToken: RequestContract<TokenRequest, TokenReply> = {
  kind: 'request',
  subject: 'mizzen.citadel.token.v1',
  queue: 'citadel',
  request: zodParser(tokenRequest),
  reply: zodParser(tokenReply),
};
