import { X509Certificate } from 'node:crypto';
import { type PkiResult, pkiFail, pkiOk } from './result';

export interface VerifyChainParams {
  leaf: string;
  /** Untrusted certificates that may complete the path. */
  intermediates?: readonly string[];
  /** Trust anchors. */
  roots: readonly string[];
  /** Validity is checked at this time (default now). */
  at?: Date;
}

const MAX_DEPTH = 8;

/**
 * Builds and checks a path leaf -> intermediates -> one of `roots` (RFC 5280 6.1, reduced to what
 * Citadel needs: issuer/subject chaining, signatures, validity, and the cA flag of every issuer).
 * Used to sanity-check plugged-in CA files and issued chains; TLS stacks do the full check on the wire.
 */
export function verifyChain(p: VerifyChainParams): PkiResult<{ root: string; depth: number }> {
  const at = (p.at ?? new Date()).getTime();
  let certs: { leaf: X509Certificate; pool: X509Certificate[]; roots: X509Certificate[] };
  try {
    certs = { leaf: new X509Certificate(p.leaf), pool: (p.intermediates ?? []).map((c) => new X509Certificate(c)), roots: p.roots.map((c) => new X509Certificate(c)) };
  } catch (err) {
    return pkiFail([{ path: 'chain', message: `unreadable certificate: ${(err as Error).message}` }]);
  }
  let current = certs.leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const validity = checkValidity(current, at);
    if (validity) return pkiFail([{ path: `chain[${depth}]`, message: validity }]);
    const root = certs.roots.find((r) => issues(r, current));
    if (root) {
      const rootValidity = checkValidity(root, at);
      if (rootValidity) return pkiFail([{ path: 'root', message: rootValidity }]);
      return pkiOk({ root: root.toString(), depth: depth + 1 });
    }
    const next = certs.pool.find((c) => c !== current && issues(c, current));
    if (!next) return pkiFail([{ path: `chain[${depth}]`, message: `no trusted issuer for "${current.subject || '(empty subject)'}" issued by "${current.issuer}"` }]);
    current = next;
  }
  return pkiFail([{ path: 'chain', message: `longer than ${MAX_DEPTH} certificates` }]);
}

function issues(issuer: X509Certificate, child: X509Certificate): boolean {
  // node: `x.checkIssued(other)` is "x was issued by other".
  return issuer.ca && child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

function checkValidity(c: X509Certificate, at: number): string | undefined {
  if (Date.parse(c.validFrom) > at) return `"${c.subject || c.subjectAltName}" is not valid before ${c.validFrom}`;
  if (Date.parse(c.validTo) < at) return `"${c.subject || c.subjectAltName}" expired ${c.validTo}`;
  return undefined;
}
