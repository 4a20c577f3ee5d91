import { z } from 'zod';
import { zodParser } from '../contract';

export const trustRoot = z.object({
  pem: z.string(),
  /** SHA-256 of the DER, lowercase hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  notAfter: z.iso.datetime(),
  /**
   * `active`: signs new certificates; `pending`: announced during a rotation, trusted now, signs
   * from `activateAt`; `retiring`: still trusted until `retireAt`.
   */
  state: z.enum(['active', 'pending', 'retiring']),
  activateAt: z.iso.datetime().optional(),
  retireAt: z.iso.datetime().optional(),
});
export type TrustRoot = z.infer<typeof trustRoot>;

/** The mesh's trust anchors: every root a peer's chain may end in. */
export const trustBundle = z.object({
  trustDomain: z.string(),
  /** Active root first, then the pending one, then retiring ones. */
  roots: z.array(trustRoot).min(1),
  updatedAt: z.iso.datetime(),
});
export type TrustBundle = z.infer<typeof trustBundle>;

/**
 * KV bucket `mizzen-trust`, key `bundle`: Citadel publishes the trust bundle on start and on every
 * rotation step; Pilot (and through it the proxies) reads and watches it.
 */
export const TrustBucket = {
  name: 'mizzen-trust',
  history: 5,
  bundleKey: 'bundle',
  value: zodParser(trustBundle),
} as const;
