import { isIP } from 'node:net';
import { type ParsedCsr, parseWorkloadId } from '@mizzen/pki';

export interface PeerPolicy {
  trustDomain: string;
  controlPlaneNamespace: string;
}

const DNS_RE = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

/**
 * What a control-plane peer may get over NATS: DNS names (RFC 1035 syntax, `*.` wildcard only as
 * the leftmost label), IP addresses, and SPIFFE IDs of the control-plane namespace
 * (`spiffe://<td>/ns/<control-plane-ns>/sa/<sa>`) -- never a workload identity, which only a
 * proven workload may get over gRPC. Returns every violation, with the SAN as path.
 */
export function checkPeerCsr(csr: ParsedCsr, policy: PeerPolicy): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (!csr.uris.length && !csr.dnsNames.length && !csr.ipAddresses.length) errors.push({ path: 'csr.san', message: 'the CSR names nothing (at least one DNS, IP or URI SAN)' });
  csr.dnsNames.forEach((n, i) => {
    if (!DNS_RE.test(n)) errors.push({ path: `csr.san.dns[${i}]`, message: `"${n}" is not a DNS name` });
  });
  csr.ipAddresses.forEach((n, i) => {
    if (!isIP(n)) errors.push({ path: `csr.san.ip[${i}]`, message: `"${n}" is not an IP address` });
  });
  csr.uris.forEach((u, i) => {
    const id = parseWorkloadId(u);
    if (!id.ok || id.value.trustDomain !== policy.trustDomain || id.value.namespace !== policy.controlPlaneNamespace) {
      errors.push({ path: `csr.san.uri[${i}]`, message: `"${u}" is not a SPIFFE ID of the control plane (spiffe://${policy.trustDomain}/ns/${policy.controlPlaneNamespace}/sa/<name>)` });
    }
  });
  csr.emails.forEach((n, i) => errors.push({ path: `csr.san.email[${i}]`, message: `e-mail SANs are not issued ("${n}")` }));
  csr.otherNames.forEach((n, i) => errors.push({ path: `csr.san.other[${i}]`, message: `SAN ${n} is not issued` }));
  return errors;
}
