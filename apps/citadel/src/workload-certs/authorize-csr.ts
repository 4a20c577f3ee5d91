import type { ParsedCsr } from '@mizzen/pki';
import { Refusal } from './refusal';

/**
 * The CSR must ask for exactly the proven identity: one URI SAN equal to `spiffeId` and nothing
 * else (no DNS, IP, e-mail or other names). Istio ca.proto: "the service implementation is
 * REQUIRED to verify the authenticated caller is authorized to all SANs in the CSR". The subject
 * is ignored: SVIDs are issued with an empty one (SPIFFE X509-SVID 2).
 */
export function authorizeWorkloadCsr(csr: ParsedCsr, spiffeId: string): void {
  const extra = [...csr.dnsNames.map((n) => `DNS:${n}`), ...csr.ipAddresses.map((n) => `IP:${n}`), ...csr.emails.map((n) => `email:${n}`), ...csr.otherNames];
  const otherUris = csr.uris.filter((u) => u !== spiffeId);
  if (!csr.uris.length) throw new Refusal('permission-denied', `CSR has no URI SAN; it must ask for exactly ${spiffeId}`);
  if (otherUris.length) throw new Refusal('permission-denied', `CSR asks for ${otherUris.join(', ')} but the caller proved ${spiffeId}`);
  if (csr.uris.length > 1) throw new Refusal('permission-denied', `CSR repeats the URI SAN ${spiffeId}; exactly one is allowed`);
  if (extra.length) throw new Refusal('permission-denied', `CSR asks for extra SANs (${extra.join(', ')}); only ${spiffeId} is allowed`);
}

/**
 * The lifetime to issue: `requestedSeconds` (0 = the default) up to `maxMs`. Like Istio's CA, a
 * request above the maximum is refused rather than silently shortened.
 */
export function resolveTtl(requestedSeconds: number, defaultMs: number, maxMs: number): number {
  if (!Number.isFinite(requestedSeconds) || requestedSeconds < 0) throw new Refusal('invalid-argument', `validity_duration ${requestedSeconds} is negative`);
  if (requestedSeconds === 0) return defaultMs;
  const ms = requestedSeconds * 1000;
  if (ms > maxMs) throw new Refusal('invalid-argument', `validity_duration ${requestedSeconds}s exceeds the maximum of ${Math.floor(maxMs / 1000)}s`);
  return ms;
}
