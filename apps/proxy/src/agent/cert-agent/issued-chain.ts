import { X509Certificate, createPrivateKey } from 'node:crypto';
import { splitPemCertificates, verifyChain } from '@mizzen/pki/workload';
import { certificateNames } from '../../tls/certificate-names';

/** A CreateCertificate answer the agent accepted: the chain to serve and the roots to trust. */
export interface IssuedChain {
  /** Leaf and intermediates (PEM), what the proxy presents. */
  certificateChain: string;
  /** Every trusted root Citadel sent (several during a root rotation). */
  roots: string[];
  notBefore: number;
  notAfter: number;
  serialNumber: string;
}

/**
 * Checks Citadel's `cert_chain` before anything uses it: leaf first, roots last (the last entry
 * may hold several roots concatenated, as ca.proto documents); the leaf is for our key and our
 * SPIFFE ID only; the chain verifies to one of the roots and is valid now.
 */
export function acceptIssuedChain(chain: readonly string[], privateKeyPem: string, spiffeId: string, now = new Date()): { ok: true; value: IssuedChain } | { ok: false; error: string } {
  if (chain.length < 2) return { ok: false, error: `cert_chain has ${chain.length} entries; expected the leaf, any intermediates and the root(s)` };
  const certs = chain.slice(0, -1).flatMap((c) => splitPemCertificates(c));
  const roots = splitPemCertificates(chain[chain.length - 1]);
  if (!certs.length || !roots.length) return { ok: false, error: 'cert_chain holds no PEM certificate' };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certs[0]);
    if (!leaf.checkPrivateKey(createPrivateKey(privateKeyPem))) return { ok: false, error: 'the issued certificate is not for our key' };
  } catch (err) {
    return { ok: false, error: `unreadable certificate: ${(err as Error).message}` };
  }
  const uris = certificateNames(leaf.raw).uris;
  if (uris.length !== 1 || uris[0] !== spiffeId) return { ok: false, error: `the issued certificate names ${JSON.stringify(uris)}, not ${spiffeId}` };
  const verified = verifyChain({ leaf: certs[0], intermediates: certs.slice(1), roots, at: now });
  if (!verified.ok) return { ok: false, error: `the issued chain does not verify: ${verified.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` };
  return {
    ok: true,
    value: { certificateChain: certs.join(''), roots, notBefore: Date.parse(leaf.validFrom), notAfter: Date.parse(leaf.validTo), serialNumber: leaf.serialNumber.toLowerCase() },
  };
}
