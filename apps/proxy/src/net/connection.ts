/** A downstream connection as the listener knows it, whatever network filter serves it. */
export interface ConnectionInfo {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set when the proxy terminated TLS on this connection. */
  tls?: { serverName?: string; alpn?: string };
}

/** A connection a network filter (HCM codecs, TCP proxy) serves; the listener drains or closes it through this. */
export interface ServedConnection {
  /** Graceful: HTTP/1.1 closes once idle (`connection: close` on the next response), HTTP/2 sends GOAWAY, TCP runs on. */
  drain(): void;
  destroy(): void;
}
