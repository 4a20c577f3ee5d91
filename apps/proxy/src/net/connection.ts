/**
 * What the proxy knows of a TLS session it terminated (Envoy's `Ssl::ConnectionInfo`): the
 * fields RBAC (`source.principal`), access logs and `connection.sni` conditions read.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/rbac/v3/rbac.proto#config-rbac-v3-principal-authenticated
 */
export interface TlsConnectionInfo {
  /** SNI the client sent, if any. */
  sni?: string;
  /** ALPN protocol negotiated, if any. */
  alpn?: string;
  /** The client presented a certificate. Only a certificate that verified is ever accepted, so presented = verified. */
  peerCertificatePresented: boolean;
  /** URI SANs of the verified peer certificate, e.g. `spiffe://cluster.local/ns/default/sa/productpage`; the first is the source principal. */
  peerUriSans: string[];
  /** DNS SANs of the verified peer certificate. */
  peerDnsSans: string[];
  /** URI SANs of the certificate this proxy presented (its own SPIFFE ID in the mesh). */
  localUriSans: string[];
  /** Serial number (hex) of the peer certificate. */
  peerSerial?: string;
}

/** A downstream connection as the listener knows it, whatever network filter serves it. */
export interface ConnectionInfo {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set when the proxy terminated TLS on this connection. */
  tls?: TlsConnectionInfo;
  /** Calls `listener` once the connection has closed (at once, asynchronously, if it already has). */
  onClose?(listener: () => void): void;
}

/** A connection a network filter (HCM codecs, TCP proxy) serves; the listener drains or closes it through this. */
export interface ServedConnection {
  /** Graceful: HTTP/1.1 closes once idle (`connection: close` on the next response), HTTP/2 sends GOAWAY, TCP runs on. */
  drain(): void;
  destroy(): void;
}
