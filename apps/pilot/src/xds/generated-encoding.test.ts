import { parseDocuments, validateResource } from '@mizzen/config-api';
import type { ProxyNode, Service, Workload } from '@mizzen/mesh-model';
import { DEFAULT_MESH_CONFIG, generate, MeshSnapshot } from '@mizzen/pilot-core';
import { decodeAny, encodeAny } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';

// Every field Pilot generates must survive the real protobuf encoding: the codec throws on
// unknown fields, enum names and type URLs, so this catches generator/proto drift.
const YAML = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1, connectTimeout: 2s, maxConnectionDuration: 1h, tcpKeepalive: {probes: 3, time: 60s, interval: 10s}}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 10, maxRetries: 3, idleTimeout: 30s, h2UpgradePolicy: UPGRADE}
    outlierDetection: {consecutive5xxErrors: 3, consecutiveGatewayErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 50, minHealthPercent: 10}
  subsets:
  - name: v1
    labels: {version: v1}
    trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 60s}}}}
  - name: v2
    labels: {version: v2}
    trafficPolicy: {loadBalancer: {consistentHash: {maglev: {tableSize: 65537}, httpHeaderName: x-user}}}
  - name: v3
    labels: {version: v3}
    trafficPolicy: {loadBalancer: {simple: RANDOM}}
  - name: v4
    labels: {version: v4}
    trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST, warmup: {duration: 60s, aggression: 2, minimumPercent: 20}}}
  - name: v5
    labels: {version: v5}
    trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, warmupDurationSecs: 30s}}
  - name: v6
    labels: {version: v6}
    trafficPolicy: {proxyProtocol: {version: V2}, connectionPool: {http: {useClientProtocol: true}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db}
spec:
  host: db
  trafficPolicy: {tunnel: {protocol: POST, targetHost: db.internal, targetPort: 5432}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - name: jason
    match:
    - headers: {end-user: {exact: jason}}
      uri: {prefix: /reviews}
      ignoreUriCase: true
      method: {exact: GET}
      queryParams: {debug: {regex: "^t.*"}}
      withoutHeaders: {x-skip: {}}
    rewrite: {uri: /v2/reviews, authority: reviews-v2}
    headers:
      request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}
      response: {set: {x-d: "3"}}
    fault:
      delay: {fixedDelay: 7s, percentage: {value: 50}}
      abort: {httpStatus: 500, percentage: {value: 10}}
    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,503,connect-failure", backoff: 50ms, retryRemoteLocalities: true}
    timeout: 10s
    corsPolicy:
      allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*[.]example[.]org"}]
      allowMethods: [GET, POST]
      allowHeaders: [x-user]
      exposeHeaders: [x-served-by]
      maxAge: 24h
      allowCredentials: true
    mirror: {host: reviews, subset: v3}
    mirrorPercentage: {value: 25}
    route:
    - destination: {host: reviews, subset: v2}
  - match:
    - uri: {exact: /old}
    redirect: {uri: /new, authority: example.com, redirectCode: 302}
  - match:
    - uri: {regex: "^/teapot.*"}
    directResponse: {status: 418, body: {string: "short and stout"}}
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 70
      headers: {request: {set: {x-w: v1}}}
    - destination: {host: reviews, subset: v3}
      weight: 30
`;

const GATEWAYS = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8443, name: https, protocol: HTTPS}
    hosts: ["reviews.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /certs/tls.crt, privateKey: /certs/tls.key}
  - port: {number: 9443, name: tls, protocol: TLS}
    hosts: ["*.example.org"]
    tls: {mode: PASSTHROUGH}
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 8444, name: https-mutual, protocol: HTTPS}
    hosts: ["reviews.example.com"]
    tls:
      mode: MUTUAL
      tlsCertificates: [{serverCertificate: /certs/rsa.crt, privateKey: /certs/rsa.key}, {serverCertificate: /certs/ec.crt, privateKey: /certs/ec.key}]
      caCertificates: /certs/ca.crt
      caCrl: /certs/ca.crl
      subjectAltNames: [client.example.com, "spiffe://cluster.local/ns/default/sa/client"]
      verifyCertificateSpki: ["NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A="]
      verifyCertificateHash: ["df6ff72fe9116521268f6f2dd4966f51df479883fe7037b39f75916ac3049d1a"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge}
spec:
  hosts: ["reviews.example.com", "db.example.org"]
  gateways: [gw]
  http:
  - route: [{destination: {host: reviews, port: {number: 9080}}}]
  tls:
  - match: [{port: 9443, sniHosts: ["db.example.org"]}]
    route: [{destination: {host: db, port: {number: 5432}}}]
`;

const service: Service = {
  hostname: 'reviews.default.svc.cluster.local',
  namespace: 'default',
  ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }, { name: 'grpc', number: 9090, protocol: 'GRPC' }],
  resolution: 'STATIC',
  location: 'MESH_INTERNAL',
  selector: { app: 'reviews' },
  source: { kind: 'Registration', namespace: 'default', name: 'reviews' },
};
const external: Service = { ...service, hostname: 'api.example.com', ports: [{ name: 'http', number: 80, protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL', selector: undefined, source: { kind: 'ServiceEntry', namespace: 'default', name: 'ext' } };
const db: Service = { ...service, hostname: 'db.default.svc.cluster.local', ports: [{ name: 'tcp', number: 5432, protocol: 'TCP' }], selector: { app: 'db' } };
const secure: Service = { ...service, hostname: 'secure.default.svc.cluster.local', ports: [{ name: 'tls', number: 8443, protocol: 'TLS' }], selector: { app: 'secure' } };
const workloads: Workload[] = ['v1', 'v2', 'v3'].map((v, i) => ({ name: `reviews-${v}`, namespace: 'default', address: `127.1.0.${i + 3}`, labels: { app: 'reviews', version: v }, serviceAccount: 'default', locality: 'r/z', source: { kind: 'Registration', namespace: 'default', name: `reviews-${v}` } }));

const proxy = (type: ProxyNode['type']): ProxyNode => ({ id: `${type}~127.1.0.1~pp.default~default.svc.cluster.local`, type, ip: '127.1.0.1', namespace: 'default', workloadName: 'pp', labels: { istio: 'ingressgateway' }, serviceAccount: 'default', locality: {}, interceptionMode: 'NONE', inbound: [{ port: 9080, name: 'http', protocol: 'HTTP', target: '127.1.0.1:19080' }] });

describe('generated resources encode as Envoy protos', () => {
  const docs = parseDocuments(YAML + '\n---\n' + GATEWAYS);
  if (!docs.ok) throw new Error(JSON.stringify(docs.errors));
  const configs = docs.value.map((d) => {
    const r = validateResource(d, { defaultNamespace: 'default' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  });
  const snapshot = MeshSnapshot.build({ configs, services: [service, external, db, secure], workloads, mesh: DEFAULT_MESH_CONFIG }, 1);

  for (const type of ['sidecar', 'router', 'proxyless'] as const) {
    it(`for a ${type}`, () => {
      const p = proxy(type);
      const names = type === 'proxyless' ? ['reviews.default.svc.cluster.local:9080', 'outbound|9080|v1|reviews.default.svc.cluster.local', 'outbound|9080|v2|reviews.default.svc.cluster.local'] : undefined;
      const lds = generate({ snapshot, proxy: p, names }, TypeUrl.Listener);
      const rdsNames = type === 'proxyless' ? names : type === 'router' ? ['http.8080', 'https.8443.0.gw.default'] : ['http_proxy'];
      const rds = generate({ snapshot, proxy: p, names: rdsNames }, TypeUrl.RouteConfiguration);
      const cds = generate({ snapshot, proxy: p, names }, TypeUrl.Cluster);
      const eds = generate({ snapshot, proxy: p, names: cds.map((c) => c.name) }, TypeUrl.ClusterLoadAssignment);
      const all = [...lds, ...rds, ...cds, ...eds];
      expect(all.length).toBeGreaterThan(3);
      for (const r of all) {
        const decoded = decodeAny(encodeAny(r.typeUrl, r.body));
        expect(decoded.typeUrl).toBe(r.typeUrl);
      }
      if (type === 'router') {
        expect(lds.map((l) => l.name)).toEqual(['0.0.0.0_8080', '0.0.0.0_8443', '0.0.0.0_8444', '0.0.0.0_9443']);
        // Gateway client verification (caCertificates, typed SANs, pins, CRL) and two certificates survive the protos.
        const mutual = JSON.stringify(decodeAny(encodeAny(TypeUrl.Listener, lds[2].body)).body);
        for (const s of ['"verifyCertificateSpki":["NvqYIYSbgK2vCJpQhObf77vv+bQWtc5ek5RIOwPiC9A="]', '"sanType":"URI"', '"filename":"/certs/ca.crl"', '"filename":"/certs/ec.crt"', '"requireClientCertificate":{"value":true}']) expect(mutual).toContain(s);
      }
      // auto mTLS (default PERMISSIVE mesh): TLS to sidecar endpoints, never for proxyless clients
      if (type === 'proxyless') expect(JSON.stringify(cds)).not.toContain('transportSocket');
      else expect(JSON.stringify(cds)).toContain('"tlsMode-istio"');
      if (type === 'sidecar') {
        expect(JSON.stringify(lds)).toContain('"transportProtocol":"raw_buffer"');
        expect(JSON.stringify(rds)).toContain('"allowOriginStringMatch"');
        // retryRemoteLocalities: Envoy's previous_priorities retry priority, encoded with its proto.
        const decodedRds = JSON.stringify(rds.map((r) => decodeAny(encodeAny(r.typeUrl, r.body)).body));
        expect(decodedRds).toContain('"envoy.retry_priorities.previous_priorities"');
        expect(decodedRds).toContain('"updateFrequency":2');
        expect(lds.map((l) => l.name)).toEqual(expect.arrayContaining(['outbound_tcp_5432', 'outbound_tls_8443']));
        // proxyProtocol, useClientProtocol and tunnel survive the protobuf encoding too.
        const decodedCds = JSON.stringify(cds.map((r) => decodeAny(encodeAny(r.typeUrl, r.body)).body));
        expect(decodedCds).toContain('"envoy.transport_sockets.upstream_proxy_protocol"');
        expect(decodedCds).toContain('"config":{"version":"V2"}');
        expect(decodedCds).toContain('"useDownstreamProtocolConfig"');
        expect(decodedCds).toMatch(/"maxConnectionDuration":\{"seconds":"?3600"?/);
        const decodedLds = JSON.stringify(lds.map((r) => decodeAny(encodeAny(r.typeUrl, r.body)).body));
        expect(decodedLds).toMatch(/"tunnelingConfig":\{("headersToAdd":\[\],)?"hostname":"db.internal:5432","usePost":true\}/);
      }
    });
  }
});
