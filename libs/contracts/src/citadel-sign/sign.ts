import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';

/**
 * `mizzen.citadel.sign.v1`: Citadel signs a certificate for a control-plane peer (Pilot's xDS
 * serving certificate, ...). The peer generates its key and sends only a CSR; the reply carries the
 * chain, never a key. Citadel certifies exactly the names in the CSR after checking them against
 * its control-plane policy (DNS names, IP addresses, SPIFFE IDs of the control-plane namespace).
 * NATS subject permissions restrict who may publish here (control-plane components only).
 */
export const signRequest = z.strictObject({
  /** PEM PKCS#10 request (RFC 2986). */
  csr: z.string().min(1),
  /** Requested lifetime; Citadel's default when absent, refused above its maximum. */
  ttlSeconds: z.number().int().positive().optional(),
  /** Who asks (`pilot-1`), for Citadel's log. */
  requester: z.string().min(1),
});
export type SignRequest = z.infer<typeof signRequest>;

export const signReply = z.object({
  /** PEM certificates: leaf, intermediates, then the signing root (Istio ca.proto order). */
  certChain: z.array(z.string()).min(2),
  /** Every trusted root PEM (during a root rotation, more than one). */
  trustBundle: z.array(z.string()).min(1),
  serialNumber: z.string(),
  notAfter: z.iso.datetime(),
});
export type SignReply = z.infer<typeof signReply>;

export const CitadelSign: RequestContract<SignRequest, SignReply> = {
  kind: 'request',
  subject: 'mizzen.citadel.sign.v1',
  queue: 'citadel',
  request: zodParser(signRequest),
  reply: zodParser(signReply),
};
