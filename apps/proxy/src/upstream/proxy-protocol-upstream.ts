import type { Pool } from 'undici';
import { type ProxyProtocolVersion, proxyProtocolHeader } from '../net/proxy-protocol';
import type { DialOptions, Dialled, UpstreamConnector } from './transport';

/**
 * Envoy's envoy.transport_sockets.upstream_proxy_protocol: every new connection of the wrapped
 * transport (plaintext or TLS) starts with a PROXY protocol header carrying the downstream
 * connection's addresses, before any TLS byte. The header is built per dial, or once per HTTP/1.1
 * pool (all of whose connections serve one downstream connection). Without a
 * downstream connection (a pool shared by requests of no particular connection) the header is v1
 * UNKNOWN / v2 LOCAL.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol.proto
 */
export class ProxyProtocolUpstream implements UpstreamConnector {
  readonly perDownstream = true;

  constructor(
    private readonly inner: UpstreamConnector,
    private readonly version: ProxyProtocolVersion,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get scheme(): 'http' | 'https' {
    return this.inner.scheme;
  }

  get alpn(): readonly string[] {
    return this.inner.alpn;
  }

  usable(): boolean {
    return this.inner.usable();
  }

  private withHeader(opts: DialOptions | undefined): DialOptions {
    return { ...opts, preamble: proxyProtocolHeader(this.version, opts?.downstream) };
  }

  dial(host: string, port: number, opts?: DialOptions): Dialled {
    return this.inner.dial(host, port, this.withHeader(opts));
  }

  connectOptions(host: string, port: number, connectTimeoutMs: number, opts?: DialOptions): Pool.Options['connect'] {
    return this.inner.connectOptions(host, port, connectTimeoutMs, this.withHeader(opts));
  }
}
