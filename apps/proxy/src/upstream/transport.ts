import type { Pool } from 'undici';
import type { TransportSpec } from '../config/model';

/**
 * How the proxy talks to upstream hosts: the seam where TLS / mTLS (Envoy's
 * `envoy.transport_sockets.tls` UpstreamTlsContext) slot in later.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export interface UpstreamConnector {
  readonly name: string;
  readonly scheme: 'http' | 'https';
  /** undici `connect` options for a pool to `host:port` (TLS material, SNI, ALPN). */
  connectOptions(host: string, port: number, connectTimeoutMs: number): Pool.Options['connect'];
}

export const plaintextUpstream: UpstreamConnector = {
  name: 'raw_buffer',
  scheme: 'http',
  connectOptions: (_host, _port, connectTimeoutMs) => ({ timeout: connectTimeoutMs }),
};

/**
 * Upstream transport implementations by transport socket name, looked up from validated config.
 * Downstream TLS (a filter chain's DownstreamTlsContext) is `tls/downstream-tls.ts`.
 */
export class TransportRegistry {
  private readonly upstreams = new Map<string, UpstreamConnector>([[plaintextUpstream.name, plaintextUpstream]]);

  registerUpstream(c: UpstreamConnector): void {
    this.upstreams.set(c.name, c);
  }

  upstream(spec: TransportSpec): UpstreamConnector {
    return this.upstreams.get(spec.name) ?? plaintextUpstream;
  }
}
