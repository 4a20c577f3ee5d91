import type tls from 'node:tls';
import type { TlsConnectionInfo } from '../net/connection';
import { certificateNames } from './certificate-names';

/**
 * What a terminated TLS session tells the filters (Envoy's Ssl::ConnectionInfo). Call it once the
 * handshake was accepted: a peer certificate present here has verified (DownstreamTls refuses the
 * rest), so its URI SANs are authenticated identities.
 */
export function tlsConnectionInfo(t: tls.TLSSocket, sniFallback?: string): TlsConnectionInfo {
  const peer = t.getPeerX509Certificate();
  const local = t.getX509Certificate();
  const peerNames = peer ? certificateNames(peer.raw) : undefined;
  return {
    sni: typeof t.servername === 'string' && t.servername ? t.servername : sniFallback,
    alpn: t.alpnProtocol || undefined,
    peerCertificatePresented: peer !== undefined,
    peerUriSans: peerNames?.uris ?? [],
    peerDnsSans: peerNames?.dnsNames ?? [],
    localUriSans: local ? certificateNames(local.raw).uris : [],
    peerSerial: peer?.serialNumber.toLowerCase(),
  };
}
