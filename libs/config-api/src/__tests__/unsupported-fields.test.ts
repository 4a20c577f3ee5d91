import { describe, expect, it } from 'vitest';
import { SUPPORTED_KINDS, unsupportedFieldWarnings, validateResource, type AnyConfig, type UnsupportedFieldTable } from '../index';

function vs(): AnyConfig {
  const r = validateResource(
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews' },
      spec: {
        hosts: ['reviews'],
        http: [
          { route: [{ destination: { host: 'reviews', subset: 'v1' } }], mirror: { host: 'reviews', subset: 'v2' } },
          { route: [{ destination: { host: 'reviews' } }] },
          { match: [{ uri: { prefix: '/x' } }], route: [{ destination: { host: 'reviews' } }], mirror: { host: 'reviews', subset: 'v3' } },
        ],
      },
    },
    { defaultNamespace: 'default' },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('unsupportedFieldWarnings', () => {
  it('is empty by default for networking kinds: their modules start with an empty table', () => {
    expect(SUPPORTED_KINDS).toHaveLength(9);
    expect(unsupportedFieldWarnings(vs())).toEqual([]);
  });

  it('reports each occurrence of a listed field with its concrete path', () => {
    const table: UnsupportedFieldTable = { VirtualService: [{ path: 'http[*].mirror', reason: 'mirroring is not implemented' }] };
    expect(unsupportedFieldWarnings(vs(), table)).toEqual([
      { path: 'spec.http[0].mirror', message: 'field is not supported by the Mizzen data plane yet: mirroring is not implemented' },
      { path: 'spec.http[2].mirror', message: 'field is not supported by the Mizzen data plane yet: mirroring is not implemented' },
    ]);
  });

  it('says "only partly supported" for fields that work for some proxies only', () => {
    const table: UnsupportedFieldTable = { VirtualService: [{ path: 'http[*].mirror', reason: 'applies only to sidecars', partial: true }] };
    expect(unsupportedFieldWarnings(vs(), table)[0]).toEqual({ path: 'spec.http[0].mirror', message: 'field is only partly supported by the Mizzen data plane: applies only to sidecars' });
  });

  it('warns that destinationSubnets and ServiceEntry addresses apply only to TPROXY sidecars', () => {
    const ok = (raw: unknown) => {
      const r = validateResource(raw, { defaultNamespace: 'default' });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.value;
    };
    const l4 = ok({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'echo' },
      spec: {
        hosts: ['echo.example.com'],
        tcp: [{ match: [{ destinationSubnets: ['10.123.5.7/32'] }], route: [{ destination: { host: 'echo.example.com' } }] }],
        tls: [{ match: [{ sniHosts: ['echo.example.com'], destinationSubnets: ['10.123.6.0/24'] }], route: [{ destination: { host: 'echo.example.com' } }] }],
      },
    });
    expect(unsupportedFieldWarnings(l4).map((w) => [w.path, w.message.includes('applies only to sidecars in TPROXY capture mode')])).toEqual([
      ['spec.tcp[0].match[0].destinationSubnets', true],
      ['spec.tls[0].match[0].destinationSubnets', true],
    ]);
    const se = ok({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'echo' },
      spec: { hosts: ['echo.example.com'], addresses: ['10.123.5.0/24'], ports: [{ number: 7000, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', endpoints: [{ address: '127.93.1.11' }] },
    });
    expect(unsupportedFieldWarnings(se)).toEqual([{ path: 'spec.addresses', message: expect.stringMatching(/^field is only partly supported by the Mizzen data plane: applies only to sidecars in TPROXY capture mode/) }]);
  });

  it('ignores tables of other kinds and absent fields', () => {
    expect(unsupportedFieldWarnings(vs(), { DestinationRule: [{ path: 'trafficPolicy' }] })).toEqual([]);
    expect(unsupportedFieldWarnings(vs(), { VirtualService: [{ path: 'tcp[*].route' }] })).toEqual([]);
  });
});

describe('default tables name what the data plane does not implement', () => {
  it('warns that DestinationRule credentialName is for gateways only, and not about a gateway credentialName (served over SDS)', () => {
    const validate = validateResource;
    const warn = (c: AnyConfig) => unsupportedFieldWarnings(c);
    const dr = validate({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'reviews', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } }, { defaultNamespace: 'default' });
    expect(dr.ok).toBe(true);
    if (dr.ok) expect(warn(dr.value)).toEqual([]);
    const cred = validate({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'api-ca' } } } }, { defaultNamespace: 'default' });
    expect(cred.ok).toBe(true);
    if (cred.ok) expect(warn(cred.value)).toEqual([{ path: 'spec.trafficPolicy.tls.credentialName', message: expect.stringContaining('for sidecars, which ignore it as in Istio (gateways read it over SDS') }]);
    // Implemented by Pilot and the proxy: accepted without a warning, at every level.
    const policy = { proxyProtocol: { version: 'V2' }, connectionPool: { tcp: { maxConnectionDuration: '30s' }, http: { useClientProtocol: true } } };
    const implemented = validate(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'r' },
        spec: {
          host: 'reviews',
          trafficPolicy: { ...policy, portLevelSettings: [{ port: { number: 9080 }, connectionPool: policy.connectionPool }] },
          subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tunnel: { protocol: 'POST', targetHost: 'db.internal', targetPort: 5432 } } }],
        },
      },
      { defaultNamespace: 'default' },
    );
    expect(implemented.ok).toBe(true);
    if (implemented.ok) expect(warn(implemented.value)).toEqual([]);
    const gw = validate(
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'cert' } }] } },
      { defaultNamespace: 'default' },
    );
    expect(gw.ok).toBe(true);
    if (gw.ok) expect(warn(gw.value)).toEqual([]);
    const pair = validate(
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialNames: ['rsa', 'ecdsa'] } }] } },
      { defaultNamespace: 'default' },
    );
    expect(pair.ok).toBe(true);
    if (pair.ok) expect(warn(pair.value)).toEqual([]);
  });

  it('accepts gateway client verification from files, tlsCertificates and Sidecar ingress tls without warnings', () => {
    const server = (tls: Record<string, unknown>) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls });
    const gw = validateResource(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'g' },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [
            server({ mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem', caCrl: '/crl.pem', subjectAltNames: ['client.example.com'], verifyCertificateSpki: ['NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A='], verifyCertificateHash: ['DF:6F:F7:2F:E9:11:65:21:26:8F:6F:2D:D4:96:6F:51:DF:47:98:83:FE:70:37:B3:9F:75:91:6A:C3:04:9D:1A'] }),
            { ...server({ mode: 'OPTIONAL_MUTUAL', caCertificates: '/ca.pem', tlsCertificates: [{ serverCertificate: '/rsa.pem', privateKey: '/rsa.key' }, { serverCertificate: '/ec.pem', privateKey: '/ec.key', caCertificates: '/other-ca.pem' }] }), port: { number: 8443, name: 'https-2', protocol: 'HTTPS' } },
          ],
        },
      },
      { defaultNamespace: 'default' },
    );
    expect(gw.ok, JSON.stringify(gw)).toBe(true);
    if (!gw.ok) return;
    expect(unsupportedFieldWarnings(gw.value)).toEqual([]);
    // Istio verifies clients against the top-level CA only: the per-certificate one is ignored, said with its path.
    expect(gw.warnings.map((w) => w.path)).toEqual(['spec.servers[1].tls.tlsCertificates[1].caCertificates']);
    const sc = validateResource(
      { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 's' }, spec: { ingress: [{ port: { number: 9443, protocol: 'HTTPS', name: 'https' }, defaultEndpoint: '127.0.0.1:9080', tls: { mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem' } }] } },
      { defaultNamespace: 'default' },
    );
    expect(sc.ok).toBe(true);
    if (sc.ok) expect(unsupportedFieldWarnings(sc.value)).toEqual([]);
  });
});
