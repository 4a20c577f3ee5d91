import { type PkiResult, pkiFail, pkiOk } from './result';

/**
 * SPIFFE IDs as the SPIFFE-ID specification defines them (spiffe/spiffe standards/SPIFFE-ID.md):
 * `spiffe://<trust-domain>/<path>`, scheme lowercase, trust domain of `[a-z0-9._-]`, path
 * segments of `[A-Za-z0-9._-]` (no empty, `.` or `..` segment, no trailing slash), no port,
 * user info, query or fragment, no percent-encoding, at most 2048 bytes.
 */
export interface SpiffeId {
  trustDomain: string;
  /** `/ns/default/sa/bookinfo-productpage`, or `` for a trust domain's own ID. */
  path: string;
}

/** Istio's workload identity: `spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>`. */
export interface WorkloadIdentity {
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

const TRUST_DOMAIN_RE = /^[a-z0-9._-]+$/;
const SEGMENT_RE = /^[A-Za-z0-9._-]+$/;
const PREFIX = 'spiffe://';
const MAX_LENGTH = 2048;
const MAX_TRUST_DOMAIN = 255;

export function isValidTrustDomain(td: string): boolean {
  return td.length > 0 && td.length <= MAX_TRUST_DOMAIN && TRUST_DOMAIN_RE.test(td);
}

/** Parses a SPIFFE ID strictly; every violation is reported. */
export function parseSpiffeId(uri: string): PkiResult<SpiffeId> {
  if (uri.length > MAX_LENGTH) return pkiFail([{ path: '', message: `longer than ${MAX_LENGTH} bytes` }]);
  if (!uri.startsWith(PREFIX)) return pkiFail([{ path: 'scheme', message: `must start with "${PREFIX}" (scheme lowercase)` }]);
  const rest = uri.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  const errors = [];
  if (!isValidTrustDomain(trustDomain)) {
    errors.push({ path: 'trustDomain', message: `"${trustDomain}" must be 1-${MAX_TRUST_DOMAIN} characters of a-z 0-9 . _ - (no port, user info or upper case)` });
  }
  if (path) {
    const segments = path.slice(1).split('/');
    segments.forEach((s, i) => {
      if (s === '') errors.push({ path: `path[${i}]`, message: 'empty segment (double or trailing slash)' });
      else if (s === '.' || s === '..') errors.push({ path: `path[${i}]`, message: `relative segment "${s}"` });
      else if (!SEGMENT_RE.test(s)) errors.push({ path: `path[${i}]`, message: `"${s}" must be A-Z a-z 0-9 . _ - (no query, fragment or percent-encoding)` });
    });
  }
  return errors.length ? pkiFail(errors) : pkiOk({ trustDomain, path });
}

export function formatSpiffeId(id: SpiffeId): string {
  return `${PREFIX}${id.trustDomain}${id.path}`;
}

/** `spiffe://<td>/ns/<ns>/sa/<sa>`; throws if a part would make an invalid ID. */
export function formatWorkloadId(id: WorkloadIdentity): string {
  const uri = `${PREFIX}${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`;
  const parsed = parseWorkloadId(uri);
  if (!parsed.ok) throw new Error(`invalid workload identity ${uri}: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  // A namespace like `a/b` would parse as a different, longer path: refuse it.
  if (parsed.value.namespace !== id.namespace || parsed.value.serviceAccount !== id.serviceAccount) throw new Error(`invalid workload identity ${uri}: namespace and service account are single path segments`);
  return uri;
}

/** Parses an Istio workload ID (`/ns/<ns>/sa/<sa>` path, nothing else). */
export function parseWorkloadId(uri: string): PkiResult<WorkloadIdentity> {
  const parsed = parseSpiffeId(uri);
  if (!parsed.ok) return parsed;
  const parts = parsed.value.path.split('/');
  if (parts.length !== 5 || parts[1] !== 'ns' || parts[3] !== 'sa') {
    return pkiFail([{ path: 'path', message: `"${parsed.value.path}" is not /ns/<namespace>/sa/<service-account>` }]);
  }
  return pkiOk({ trustDomain: parsed.value.trustDomain, namespace: parts[2], serviceAccount: parts[4] });
}
