import net from 'node:net';
import tls from 'node:tls';
import type { Pool } from 'undici';
import type { ClusterConfig, LbEndpoint, TransportSpec, UpstreamTlsConfig } from '../config/model';
import type { ProxiedAddresses } from '../net/proxy-protocol';
import type { StatsScope } from '../stats';
import { certificateNames } from '../tls/certificate-names';
import { pinMismatch } from '../tls/certificate-pins';
import { ProxyProtocolUpstream } from './proxy-protocol-upstream';
import { TlsContextSource } from '../tls/context-source';
import { sanMismatch } from '../tls/san-match';
import { SecretStore } from '../tls/secret-store';

export interface DialOptions {
  /** Overrides the configured ALPN list (TLS). */
  alpn?: readonly string[];
  allowHalfOpen?: boolean;
  /** TCP keepalive idle time (upstream_connection_options.tcp_keepalive). */
  keepAliveMs?: number;
  /** Bytes the TCP connection starts with, before any TLS (the PROXY protocol header). */
  preamble?: Buffer;
  /** The downstream connection this one serves (the PROXY protocol header carries its addresses). */
  downstream?: ProxiedAddresses;
}

/** A socket being connected and the event that says it is usable (TLS: handshake done, peer verified). */
export interface Dialled {
  socket: net.Socket;
  ready: 'connect' | 'secureConnect';
}

/**
 * How the proxy talks to upstream hosts: Envoy's transport socket on the cluster side, plaintext
 * (`raw_buffer`) or TLS (`envoy.transport_sockets.tls` with an UpstreamTlsContext).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export interface UpstreamConnector {
  readonly name: string;
  readonly scheme: 'http' | 'https';
  /** ALPN protocols configured (TLS only). */
  readonly alpn: readonly string[];
  /**
   * True when each connection carries the downstream connection's identity (the PROXY protocol),
   * so connections serving different downstream connections must not be shared.
   */
  readonly perDownstream?: boolean;
  /** False while a secret it needs is missing (then a transport socket match is skipped). */
  usable(): boolean;
  /** Opens a connection (TCP proxy, HTTP/2 sessions); `alpn` overrides the configured ALPN list. */
  dial(host: string, port: number, opts?: DialOptions): Dialled;
  /** undici `connect` options or connector for a pool to `host:port` (`opts.alpn` is ignored: HTTP/1.1 pools never offer h2). */
  connectOptions(host: string, port: number, connectTimeoutMs: number, opts?: DialOptions): Pool.Options['connect'];
}

/** A TCP connection with TCP_NODELAY (as Envoy sets on upstream connections), starting with `preamble` if given. */
function tcpConnect(host: string, port: number, opts: DialOptions | undefined): net.Socket {
  const socket = net.connect({ host, port, noDelay: true, allowHalfOpen: opts?.allowHalfOpen, keepAlive: opts?.keepAliveMs !== undefined, keepAliveInitialDelay: opts?.keepAliveMs });
  // Queued until connected, so these are the connection's first bytes (before a TLS ClientHello).
  if (opts?.preamble) socket.write(opts.preamble);
  return socket;
}

/** An undici connector over `dial`: hands the socket over once it is usable, with the cluster's connect timeout. */
function poolConnector(dial: () => Dialled, connectTimeoutMs: number): Pool.Options['connect'] {
  return (_opts, callback) => {
    const { socket, ready } = dial();
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('error', finish);
      if (err) {
        socket.destroy();
        callback(err, null);
      } else callback(null, socket);
    };
    const timer = setTimeout(() => finish(Object.assign(new Error(`connect timeout after ${connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' })), connectTimeoutMs);
    socket.once(ready, () => finish(null));
    socket.once('error', finish);
    return socket;
  };
}

export const plaintextUpstream: UpstreamConnector = {
  name: 'raw_buffer',
  scheme: 'http',
  alpn: [],
  usable: () => true,
  dial: (host, port, opts) => ({ socket: tcpConnect(host, port, opts), ready: 'connect' }),
  connectOptions: (host, port, connectTimeoutMs, opts) =>
    opts?.preamble ? poolConnector(() => plaintextUpstream.dial(host, port, opts), connectTimeoutMs) : { timeout: connectTimeoutMs, ...(opts?.keepAliveMs ? { keepAlive: true, keepAliveInitialDelay: opts.keepAliveMs } : {}) },
};

/** OpenSSL's certificate verification failures as node reports them (`err.code`). */
const OPENSSL_VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** A handshake refused by our verification, with the stat Envoy counts it under. */
function verifyError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * TLS to upstream hosts: the client certificate (files or the SDS `default` secret) and trusted
 * roots (files or `ROOTCA`) from a context rebuilt only on rotation; the peer chain is verified by
 * OpenSSL, then its SANs against the matchers. SNI only when configured (Envoy sends none by
 * default). Stats in the cluster scope follow Envoy's `ssl.*`.
 */
export class TlsUpstream implements UpstreamConnector {
  readonly scheme = 'https' as const;
  private readonly source: TlsContextSource;

  constructor(
    readonly name: string,
    readonly config: UpstreamTlsConfig,
    secrets: SecretStore,
    private readonly stats: StatsScope,
  ) {
    this.source = new TlsContextSource(config, secrets);
  }

  get alpn(): readonly string[] {
    return this.config.alpn;
  }

  usable(): boolean {
    try {
      this.source.current();
      return true;
    } catch {
      return false;
    }
  }

  dial(host: string, port: number, opts: DialOptions = {}): Dialled {
    const alpn = opts.alpn ?? this.config.alpn;
    let context: tls.SecureContext;
    try {
      context = this.source.current().context;
    } catch (err) {
      // A missing secret: fail this connection like a handshake error.
      const s = new net.Socket();
      process.nextTick(() => s.destroy(err as Error));
      return { socket: s, ready: 'secureConnect' };
    }
    const matchers = this.config.matchSubjectAltNames;
    // Our own TCP socket: TCP_NODELAY as on every upstream connection (tls.connect has no such option);
    // a preamble is written on it before the handshake starts.
    const tcpSocket = tcpConnect(host, port, opts);
    const socket = tls.connect({
      socket: tcpSocket,
      host,
      port,
      secureContext: context,
      servername: this.config.sni,
      ALPNProtocols: alpn.length ? [...alpn] : undefined,
      rejectUnauthorized: this.source.verifies,
      // Replaces node's host name check: Envoy checks only the configured SAN matchers.
      checkServerIdentity: (_host, cert) => {
        const why = this.source.verifies ? (pinMismatch(this.config.pins, cert.raw) ?? sanMismatch(matchers, certificateNames(cert.raw))) : undefined;
        return why ? verifyError(`upstream ${host}:${port}: ${why}`, 'ERR_TLS_CERT_SAN_MISMATCH') : undefined;
      },
    });
    let tcp = false;
    let secured = false;
    tcpSocket.once('connect', () => (tcp = true));
    socket.once('secureConnect', () => {
      secured = true;
      this.stats.counter('ssl.handshake').inc();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (secured || !tcp) return;
      if (err.code === 'ERR_TLS_CERT_SAN_MISMATCH') this.stats.counter('ssl.fail_verify_san').inc();
      else if (err.code && OPENSSL_VERIFY_CODES.has(err.code)) this.stats.counter('ssl.fail_verify_error').inc();
      else this.stats.counter('ssl.connection_error').inc();
    });
    return { socket, ready: 'secureConnect' };
  }

  connectOptions(host: string, port: number, connectTimeoutMs: number, opts: DialOptions = {}): Pool.Options['connect'] {
    // HTTP/1.1 pools: never offer h2 (the cluster, not ALPN, picks the protocol).
    const alpn = this.config.alpn.filter((p) => p !== 'h2');
    return poolConnector(() => this.dial(host, port, { ...opts, alpn }), connectTimeoutMs);
  }
}

/** Envoy's transport socket match: every key of `match` equals the endpoint's metadata value (empty matches all). */
export function transportMatches(match: Readonly<Record<string, unknown>>, metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  return Object.entries(match).every(([k, v]) => metadata !== undefined && k in metadata && JSON.stringify(metadata[k]) === JSON.stringify(v));
}

/**
 * A cluster's transports: the connector of the first transport_socket_matches entry matching an
 * endpoint's `envoy.transport_socket_match` metadata, else the cluster's transport_socket. Hosts
 * keep the connector they were made with, so a TLS host and a plaintext host never share a pool.
 * An entry whose secrets are missing (no certificate agent) is skipped (see runtime/secret-check).
 */
export class ClusterTransports {
  private readonly fallback: UpstreamConnector;
  private readonly matches: Array<{ match: Readonly<Record<string, unknown>>; connector: UpstreamConnector }>;

  constructor(config: ClusterConfig, make: (spec: TransportSpec) => UpstreamConnector) {
    this.fallback = make(config.transport);
    this.matches = config.transportSocketMatches.map((m) => ({ match: m.match, connector: make(m.transport) }));
  }

  forEndpoint(ep: Pick<LbEndpoint, 'transportSocketMatch'>): UpstreamConnector {
    return this.matches.find((m) => transportMatches(m.match, ep.transportSocketMatch) && m.connector.usable())?.connector ?? this.fallback;
  }
}

/** Builds upstream connectors from validated transport specs, resolving TLS secrets from the store. */
export class TransportRegistry {
  constructor(readonly secrets: SecretStore = new SecretStore()) {}

  upstream(spec: TransportSpec, stats: StatsScope): UpstreamConnector {
    const inner = spec.tls ? new TlsUpstream(spec.name, spec.tls, this.secrets, stats) : plaintextUpstream;
    return spec.proxyProtocol ? new ProxyProtocolUpstream(inner, spec.proxyProtocol) : inner;
  }

  forCluster(config: ClusterConfig, stats: StatsScope): ClusterTransports {
    return new ClusterTransports(config, (spec) => this.upstream(spec, stats));
  }
}
