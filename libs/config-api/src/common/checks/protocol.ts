/**
 * Istio's protocol names (`pkg/config/protocol`), parsed case-insensitively as Istio does.
 * https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export type IstioProtocol = 'TCP' | 'UDP' | 'GRPC' | 'GRPC-WEB' | 'HTTP' | 'HTTP_PROXY' | 'HTTP2' | 'HTTPS' | 'TLS' | 'Mongo' | 'Redis' | 'MySQL';

const BY_LOWER: Record<string, IstioProtocol> = {
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  http: 'HTTP',
  http_proxy: 'HTTP_PROXY',
  http2: 'HTTP2',
  https: 'HTTPS',
  tls: 'TLS',
  mongo: 'Mongo',
  redis: 'Redis',
  mysql: 'MySQL',
};

export function parseProtocol(s: string | undefined): IstioProtocol | undefined {
  return s === undefined ? undefined : BY_LOWER[s.toLowerCase()];
}

export function isHTTPProtocol(p: IstioProtocol | undefined): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-WEB';
}

export function isTLSProtocol(p: IstioProtocol | undefined): boolean {
  return p === 'HTTPS' || p === 'TLS';
}

/** Istio `ValidateProtocol`: empty means "sniff"; anything else must be a known protocol. */
export function checkProtocol(s: string | undefined): string | undefined {
  if (s === undefined || s === '' || parseProtocol(s)) return undefined;
  return `unsupported protocol ${JSON.stringify(s)} (supported: ${Object.values(BY_LOWER).join(', ')})`;
}
