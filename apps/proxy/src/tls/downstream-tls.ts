import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { DownstreamTlsConfig } from '../config/model';
import type { StatsScope } from '../stats';
import { selectAlpn } from './alpn';
import { certificateNames } from './certificate-names';
import { pinMismatch } from './certificate-pins';
import { TlsContextSource } from './context-source';
import { sanMismatch } from './san-match';
import type { SecretStore } from './secret-store';

/** Envoy's transport_socket_connect_timeout is unset by default; we bound handshakes anyway. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

const key = (s: { remoteAddress?: string; remotePort?: number }): string => `${s.remoteAddress}:${s.remotePort}`;

type Verdict = 'no certificate' | 'verify' | 'san' | 'error' | 'closed';

const STAT: Record<Verdict, string> = {
  'no certificate': 'ssl.no_certificate',
  verify: 'ssl.fail_verify_error',
  san: 'ssl.fail_verify_san',
  error: 'ssl.connection_error',
  closed: 'ssl.connection_error',
};

/**
 * TLS termination for one filter chain (Envoy's `envoy.transport_sockets.tls` with a
 * DownstreamTlsContext). A non-listening tls.Server does the handshakes, so OpenSSL's verdict on
 * a client certificate is available: with a validation context the client is asked for one, a
 * certificate that does not verify (chain and pins, then SAN matchers) is always refused, and a missing one
 * only with require_client_certificate. SDS secrets come from the store; when one rotates the
 * server's context is replaced before the next handshake (setSecureContext), so open connections
 * are untouched. Stats follow Envoy's `ssl.*` in the listener scope.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto
 */
export class DownstreamTls {
  private readonly server: tls.Server;
  private readonly source: TlsContextSource;
  /** Handshakes in progress by remote address (unique among one listener's connections). */
  private readonly pending = new Map<string, { done(t: tls.TLSSocket | undefined, reason?: Verdict): void }>();

  constructor(
    readonly config: DownstreamTlsConfig,
    secrets: SecretStore,
  ) {
    this.source = new TlsContextSource(config, secrets);
    const alpn = config.alpn;
    let options: tls.SecureContextOptions = {};
    try {
      options = this.source.current().options;
    } catch {
      // An SDS secret (over ADS) not received within the warming timeout: `accept` refuses
      // handshakes until it arrives, as Envoy's TLS context without its certificate does.
    }
    this.server = tls.createServer({
      ...options,
      ALPNCallback: alpn.length ? ({ protocols }) => selectAlpn(alpn, protocols) : undefined,
      requestCert: this.source.verifies,
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
    if (this.source.changed()) {
      try {
        this.server.setSecureContext(this.source.current().options);
      } catch {
        stats.counter('ssl.connection_error').inc();
        socket.destroy();
        return Promise.resolve(undefined);
      }
    }
    return new Promise((resolve) => {
      const done = (t: tls.TLSSocket | undefined, reason?: Verdict): void => {
        this.pending.delete(id);
        const verdict = t ? this.verdict(t) : reason;
        if (t && !verdict) {
          stats.counter('ssl.handshake').inc();
          t.on('error', () => t.destroy());
          return resolve(t);
        }
        stats.counter(STAT[verdict ?? 'error']).inc();
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
  private verdict(t: tls.TLSSocket): Verdict | undefined {
    if (!this.source.verifies) return undefined;
    const peer = t.getPeerX509Certificate();
    if (!peer) return this.config.requireClientCertificate ? 'no certificate' : undefined;
    if (!t.authorized || pinMismatch(this.config.pins, peer.raw)) return 'verify';
    return sanMismatch(this.config.matchSubjectAltNames, certificateNames(peer.raw)) ? 'san' : undefined;
  }
}
