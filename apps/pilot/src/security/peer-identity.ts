/** What grpc-js's `call.getAuthContext()` returns (its AuthContext type is not exported). */
export interface StreamAuth {
  transportSecurityType?: string;
  sslPeerCertificate?: { subjectaltname?: string };
}

/**
 * The SPIFFE ID of an xDS client, from the certificate it presented on Pilot's mutual-TLS port
 * (the transport verified the chain against the mesh trust bundle, so the SAN can be believed).
 * Undefined for plaintext streams and for certificates without exactly one `spiffe://` URI SAN.
 */
export function peerIdentity(auth: StreamAuth | undefined): string | undefined {
  const san = auth?.sslPeerCertificate?.subjectaltname;
  if (!auth?.transportSecurityType || !san) return undefined;
  const uris = san
    .split(', ')
    .filter((x) => x.startsWith('URI:spiffe://'))
    .map((x) => x.slice('URI:'.length));
  return uris.length === 1 ? uris[0] : undefined;
}
