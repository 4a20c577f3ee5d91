/**
 * Server-side ALPN selection as Envoy does it: the first of our protocols the client offers. With
 * no overlap Envoy carries on without ALPN, but node can only pick one of the client's protocols
 * or fail the handshake; so we pick the client's first protocol other than `h2` (Istio clients
 * offer `istio-peer-exchange`, `istio`: the codecs treat those as HTTP/1.1, as Envoy does without
 * ALPN), and refuse only a client that offers nothing but `h2` to a server that does not speak it.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls.proto#envoy-v3-api-field-extensions-transport-sockets-tls-v3-commontlscontext-alpn-protocols
 */
export function selectAlpn(ours: readonly string[], offered: readonly string[]): string | undefined {
  const shared = ours.find((p) => offered.includes(p));
  if (shared) return shared;
  return offered.find((p) => p !== 'h2');
}
