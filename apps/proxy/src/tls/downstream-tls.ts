import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { DownstreamTlsConfig } from '../config/model';
import type { StatsScope } from '../stats';

/** Envoy's transport_socket_connect_timeout is unset by default; we bound handshakes anyway. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

const key = (s: { remoteAddress?: string; remotePort?: number }): string => `${s.remoteAddress}:${s.remotePort}`;

/**
 * TLS termination for one filter chain (Envoy's `envoy.transport_sockets.tls` with a
 * DownstreamTlsContext). A non-listening tls.Server does the handshakes, so OpenSSL's verdict on
 * a client certificate is available: with a trusted CA the client is asked for one, a certificate
 * that does not verify is always refused, and a missing one only with require_client_certificate.
 * Stats follow Envoy's `ssl.*` in the listener scope.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto
 */
export class DownstreamTls {
  private readonly server: tls.Server;
  /** Handshakes in progress by remote address (unique among one listener's connections). */
  private readonly pending = new Map<string, { done(t: tls.TLSSocket | undefined, reason?: string): void }>();

  constructor(readonly config: DownstreamTlsConfig) {
    const c = config;
    this.server = tls.createServer({
      cert: c.certificateChain,
      key: c.privateKey,
      ca: c.trustedCa,
      ciphers: c.ciphers,
      minVersion: c.minVersion,
      maxVersion: c.maxVersion,
      ALPNProtocols: c.alpn.length ? [...c.alpn] : undefined,
      requestCert: c.trustedCa !== undefined,
      rejectUnauthorized: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    this.server.on('secureConnection', (t: tls.TLSSocket) => this.pending.get(key(t))?.done(t));
    this.server.on('tlsClientError', (_err: Error, t: tls.TLSSocket) => this.pending.get(key(t))?.done(undefined, 'error'));
  }

  /**
   * Runs the server handshake on `socket` (any bytes a listener filter read must already be back
   * in its read buffer). Resolves with the TLS socket, or undefined after closing the connection.
   */
  accept(socket: Socket, stats: StatsScope): Promise<tls.TLSSocket | undefined> {
    const id = key(socket);
    return new Promise((resolve) => {
      const done = (t: tls.TLSSocket | undefined, reason?: string): void => {
        this.pending.delete(id);
        const verdict = t ? this.verdict(t) : reason;
        if (t && !verdict) {
          stats.counter('ssl.handshake').inc();
          t.on('error', () => t.destroy());
          return resolve(t);
        }
        stats.counter(verdict === 'no certificate' ? 'ssl.no_certificate' : verdict === 'verify' ? 'ssl.fail_verify_error' : 'ssl.connection_error').inc();
        t?.destroy();
        socket.destroy();
        resolve(undefined);
      };
      this.pending.set(id, { done });
      socket.once('close', () => this.pending.get(id)?.done(undefined, 'closed'));
      this.server.emit('connection', socket);
    });
  }

  /** Why a handshaken connection must be refused, if it must. */
  private verdict(t: tls.TLSSocket): string | undefined {
    if (this.config.trustedCa === undefined) return undefined;
    const presented = Object.keys(t.getPeerCertificate()).length > 0;
    if (!presented) return this.config.requireClientCertificate ? 'no certificate' : undefined;
    return t.authorized ? undefined : 'verify';
  }
}
