import { describe, expect, it } from 'vitest';
import { decodeAny, decodeAnyValue, encodeAny, encodeAnyWithEncodedElements } from './any';
import { encodeMessage, XdsCodecError } from './convert';
import { findType } from './proto-root';
import { FixtureTypeUrl as T, allResources, outboundListener, pruneEmptyArrays, routeConfiguration } from './testing/fixtures';

describe('encodeAny / decodeAny round trip', () => {
  it.each(allResources.map(([url, body]) => [String(body['name'] ?? body['clusterName']), url, body] as const))(
    '%s survives encode -> decode unchanged',
    (_name, typeUrl, body) => {
      const bytes = encodeAny(typeUrl, body);
      const decoded = decodeAny(bytes);
      expect(decoded.typeUrl).toBe(typeUrl);
      expect(pruneEmptyArrays(decoded.body)).toEqual(body);
      // and re-encoding the decoded form is byte-identical (stable output for content hashing)
      expect(encodeAny(typeUrl, decoded.body).equals(bytes)).toBe(true);
    },
  );

  it('carries the new cluster and tcp_proxy fields: upstream_proxy_protocol around TLS, tunneling_config', () => {
    const cluster = {
      name: 'outbound|9080||reviews.default.svc.cluster.local',
      transportSocket: {
        name: 'envoy.transport_sockets.upstream_proxy_protocol',
        typedConfig: {
          '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.proxy_protocol.v3.ProxyProtocolUpstreamTransport',
          config: { version: 'V2' },
          transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni: 'reviews' } },
        },
      },
    };
    expect(pruneEmptyArrays(decodeAny(encodeAny(T.Cluster, cluster)).body)).toEqual(cluster);
    const tcp = { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', statPrefix: 'db', cluster: 'db', tunnelingConfig: { hostname: 'db.internal:5432', usePost: true } };
    expect(pruneEmptyArrays(decodeAny(encodeAny(tcp['@type'], tcp)).body)).toMatchObject({ statPrefix: 'db', tunnelingConfig: { hostname: 'db.internal:5432', usePost: true } });
  });

  it('produces a real google.protobuf.Any whose nested typed_config Anys are real too', () => {
    const bytes = encodeAny(T.Listener, outboundListener);
    const any = findType('google.protobuf.Any')!.decode(bytes) as unknown as { type_url: string; value: Uint8Array };
    expect(any.type_url).toBe(T.Listener);
    const listenerType = findType(T.Listener)!;
    const listener = listenerType.decode(any.value) as unknown as {
      filterChains: Array<{ filters: Array<{ typedConfig: { type_url: string; value: Uint8Array } }> }>;
    };
    const hcmAny = listener.filterChains[0].filters[0].typedConfig;
    expect(hcmAny.type_url).toBe(T.Hcm);
    const hcm = findType(T.Hcm)!.decode(hcmAny.value) as unknown as { statPrefix: string; httpFilters: Array<{ typedConfig: { type_url: string; value: Uint8Array } }> };
    expect(hcm.statPrefix).toBe('outbound_0.0.0.0_9080');
    expect(hcm.httpFilters.map((f) => f.typedConfig.type_url)).toEqual([T.Fault, T.Cors, T.Router]);
    expect(hcm.httpFilters[0].typedConfig.value.length).toBeGreaterThan(0);
  });

  it('decodes Struct metadata to plain JSON and nested Anys to { @type, ...fields }', () => {
    const { body } = decodeAny(encodeAny(T.Listener, outboundListener));
    expect((body['metadata'] as { filterMetadata: unknown }).filterMetadata).toEqual({
      'istio.io': { service: 'reviews.default.svc.cluster.local', ports: [9080], tls: false, extra: null },
    });
    const chains = body['filterChains'] as Array<{ filters: Array<{ typedConfig: Record<string, unknown> }> }>;
    expect(chains[0].filters[0].typedConfig['@type']).toBe(T.Hcm);
    expect(chains[0].filters[0].typedConfig['statPrefix']).toBe('outbound_0.0.0.0_9080');
  });

  it('decodeAnyValue decodes a bare message value', () => {
    const bytes = encodeAny(T.RouteConfiguration, routeConfiguration);
    const any = findType('google.protobuf.Any')!.decode(bytes) as unknown as { value: Uint8Array };
    expect(pruneEmptyArrays(decodeAnyValue(T.RouteConfiguration, any.value))).toEqual(routeConfiguration);
    expect(() => decodeAnyValue('type.googleapis.com/no.such.Type', any.value)).toThrow(/not loaded/);
  });
});

describe('encodeAny is strict', () => {
  it('throws for an unknown top-level type URL', () => {
    expect(() => encodeAny('type.googleapis.com/envoy.config.listener.v3.Listenr', { name: 'x' })).toThrow(XdsCodecError);
    expect(() => encodeAny('type.googleapis.com/envoy.config.listener.v3.Listenr', { name: 'x' })).toThrow(/unknown type URL/);
  });

  it('throws for a typedConfig whose @type is unknown, naming the path', () => {
    const bad = {
      name: 'l',
      filterChains: [{ filters: [{ name: 'hcm', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.nope.v3.Nope', statPrefix: 'x' } }] }],
    };
    expect(() => encodeAny(T.Listener, bad)).toThrow(/unknown type URL .*nope\.v3\.Nope.*filterChains\[0\]\.filters\[0\]\.typedConfig/);
    const deep = {
      name: 'l',
      apiListener: {
        apiListener: { '@type': T.Hcm, statPrefix: 's', httpFilters: [{ name: 'f', typedConfig: { '@type': 'type.googleapis.com/x.Unknown' } }] },
      },
    };
    expect(() => encodeAny(T.Listener, deep)).toThrow(/x\.Unknown/);
  });

  it('throws for an Any without @type and for a malformed type URL', () => {
    expect(() => encodeAny(T.Listener, { name: 'l', apiListener: { apiListener: { statPrefix: 's' } } })).toThrow(/@type/);
    expect(() => encodeAny(T.Listener, { name: 'l', apiListener: { apiListener: { '@type': 'Listener' } } })).toThrow(/type URL/);
  });

  it('throws for misspelt or snake_case fields instead of dropping them', () => {
    expect(() => encodeAny(T.Cluster, { name: 'c', conectTimeout: { seconds: 1 } })).toThrow(/unknown field "conectTimeout"/);
    expect(() => encodeAny(T.Cluster, { name: 'c', connect_timeout: { seconds: 1 } })).toThrow(/connect_timeout/);
    expect(() => encodeAny(T.Cluster, { name: 'c', outlierDetection: { consecutive5xx: { value: 1 } } })).toThrow(/consecutive_5xx/);
  });

  it('throws for unknown enum names and for two members of one oneof', () => {
    expect(() => encodeAny(T.Cluster, { name: 'c', lbPolicy: 'LEAST_LOADED' })).toThrow(/enum value "LEAST_LOADED"/);
    expect(() =>
      encodeAny(T.RouteConfiguration, {
        name: 'r',
        virtualHosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/', path: '/x' }, route: { cluster: 'a' } }] }],
      }),
    ).toThrow(/oneof pathSpecifier/);
  });

  it('passes an Any of an unloaded type through verbatim when given as { @type, @value }', () => {
    const opaque = { '@type': 'type.googleapis.com/io.example.Custom', '@value': Buffer.from([8, 1]).toString('base64') };
    const listener = { name: 'l', listenerFilters: [{ name: 'custom', typedConfig: opaque }] };
    const { body } = decodeAny(encodeAny(T.Listener, listener));
    expect(pruneEmptyArrays(body)).toEqual(listener);
  });

  it('ignores undefined fields and a matching top-level @type', () => {
    const bytes = encodeAny(T.Cluster, { '@type': T.Cluster, name: 'c', altStatName: undefined });
    expect(pruneEmptyArrays(decodeAny(bytes).body)).toEqual({ name: 'c' });
  });
});

describe('encodeAnyWithEncodedElements', () => {
  const RC = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
  const VH = 'type.googleapis.com/envoy.config.route.v3.VirtualHost';
  const vhosts = [
    { name: 'a:80', domains: ['a', 'a:80'], routes: [{ match: { prefix: '/' }, route: { cluster: 'outbound|80||a', timeout: { seconds: 3 } } }] },
    { name: 'b:80', domains: ['b:80'], routes: [{ match: { prefix: '/x' }, directResponse: { status: 502 } }] },
  ];

  it('is the same message as encoding the whole body', () => {
    const whole = encodeAny(RC, { name: 'http_proxy', validateClusters: { value: false }, virtualHosts: vhosts });
    const spliced = encodeAnyWithEncodedElements(RC, { name: 'http_proxy', validateClusters: { value: false } }, 'virtualHosts', vhosts.map((v) => encodeMessage(VH, v)));
    // Same message, not the same bytes: the spliced elements follow the other fields.
    expect(decodeAny(spliced).body).toEqual(decodeAny(whole).body);
    expect(spliced.length).toBe(whole.length);
  });

  it('rejects a field that is not a repeated message, or one given twice', () => {
    expect(() => encodeAnyWithEncodedElements(RC, {}, 'name', [])).toThrow(/name is not a repeated message field/);
    expect(() => encodeAnyWithEncodedElements(RC, { virtualHosts: [] }, 'virtualHosts', [])).toThrow(/given both/);
  });
});
