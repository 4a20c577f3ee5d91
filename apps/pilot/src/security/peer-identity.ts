import type { PeerIdentity } from '@mizzen/mesh-model';
import { parseWorkloadId } from '@mizzen/pki';

/** What grpc-js's `call.getAuthContext()` returns (its AuthContext type is not exported). */
export interface StreamAuth {
  transportSecurityType?: string;
  sslPeerCertificate?: { subjectaltname?: string };
}

/**
 * The workload identity of an xDS client, from the certificate it presented on Pilot's mutual-TLS
 * port (the transport verified the chain against the mesh trust bundle, so the SAN can be
 * believed). Undefined for plaintext streams and for certificates without exactly one `spiffe://`
 * URI SAN that is an Istio workload ID (`/ns/<ns>/sa/<sa>`).
 */
export function peerIdentity(auth: StreamAuth | undefined): PeerIdentity | undefined {
  const san = auth?.sslPeerCertificate?.subjectaltname;
  if (!auth?.transportSecurityType || !san) return undefined;
  const uris = san
    .split(', ')
    .filter((x) => x.startsWith('URI:spiffe://'))
    .map((x) => x.slice('URI:'.length));
  if (uris.length !== 1) return undefined;
  const id = parseWorkloadId(uris[0]);
  return id.ok ? { uri: uris[0], ...id.value } : undefined;
}
