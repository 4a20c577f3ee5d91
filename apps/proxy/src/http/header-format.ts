import type { HeaderFormatter } from './headers';

export interface FormatContext {
  downstreamRemoteAddress: string;
  downstreamRemotePort: number;
  downstreamLocalAddress: string;
  downstreamLocalPort: number;
  protocol: string;
  upstreamHost?: string;
}

const withPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * A few of Envoy's header value command operators; `%%` is a literal `%`. Unknown operators are
 * left as written.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators
 */
export function headerFormatter(ctx: FormatContext): HeaderFormatter {
  const ops: Record<string, () => string> = {
    DOWNSTREAM_REMOTE_ADDRESS: () => withPort(ctx.downstreamRemoteAddress, ctx.downstreamRemotePort),
    DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: () => ctx.downstreamRemoteAddress,
    DOWNSTREAM_LOCAL_ADDRESS: () => withPort(ctx.downstreamLocalAddress, ctx.downstreamLocalPort),
    DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: () => ctx.downstreamLocalAddress,
    PROTOCOL: () => ctx.protocol,
    UPSTREAM_REMOTE_ADDRESS: () => ctx.upstreamHost ?? '',
    START_TIME: () => new Date().toISOString(),
  };
  return (value) =>
    value.replace(/%%|%([A-Z_]+)%/g, (whole, op: string | undefined) => {
      if (op === undefined) return '%';
      const f = ops[op];
      return f ? f() : whole;
    });
}
