import { type AnyConfig, parseDocuments, validateResource } from '@mizzen/config-api';
import type { ProxyNode, Service, Workload } from '@mizzen/mesh-model';
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';

/** Parses and validates YAML exactly as Galley would; throws on invalid fixtures. */
export function configsFromYaml(yaml: string): AnyConfig[] {
  const docs = parseDocuments(yaml);
  if (!docs.ok) throw new Error(JSON.stringify(docs.errors));
  return docs.value.map((d) => {
    const r = validateResource(d, { defaultNamespace: 'default' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  });
}

/** A registered service `<name>.default.svc.cluster.local` with one port, selecting `app: <name>`. */
export const svc = (name: string, port = 9080, protocol: Service['ports'][number]['protocol'] = 'HTTP'): Service => ({
  hostname: `${name}.default.svc.cluster.local`,
  namespace: 'default',
  ports: [{ name: protocol.toLowerCase(), number: port, protocol }],
  resolution: 'STATIC',
  location: 'MESH_INTERNAL',
  selector: { app: name },
  source: { kind: 'Registration', namespace: 'default', name },
});

const wl = (app: string, version: string, ip: string, locality = 'region1/zone1'): Workload => ({
  name: `${app}-${version}`,
  namespace: 'default',
  address: ip,
  ports: { http: 9080 },
  labels: { app, version },
  serviceAccount: `bookinfo-${app}`,
  locality,
  source: { kind: 'Registration', namespace: 'default', name: `${app}-${version}` },
});

export const BOOKINFO_SERVICES: Service[] = ['productpage', 'details', 'reviews', 'ratings'].map((n) => svc(n));
export const BOOKINFO_WORKLOADS: Workload[] = [
  wl('productpage', 'v1', '127.1.0.1'),
  wl('details', 'v1', '127.1.0.2'),
  wl('reviews', 'v1', '127.1.0.3'),
  wl('reviews', 'v2', '127.1.0.4', 'region1/zone2'),
  wl('reviews', 'v3', '127.1.0.5'),
  wl('ratings', 'v1', '127.1.0.6'),
];

export const DESTINATION_RULES_YAML = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    loadBalancer: {simple: LEAST_REQUEST}
    connectionPool: {tcp: {maxConnections: 10}}
  subsets:
  - {name: v1, labels: {version: v1}}
`;

export const REVIEWS_JASON_YAML = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: {exact: jason}
    route:
    - destination: {host: reviews, subset: v2}
  - route:
    - destination: {host: reviews, subset: v1}
`;

export const REVIEWS_50_50_YAML = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 50
    - destination: {host: reviews, subset: v3}
      weight: 50
`;

export const GATEWAY_YAML = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo}
spec:
  hosts: ["*"]
  gateways: [bookinfo-gateway]
  http:
  - match:
    - uri: {exact: /productpage}
    - uri: {prefix: /static}
    route:
    - destination: {host: productpage, port: {number: 9080}}
`;

export function bookinfoSnapshot(yaml: string, mesh: MeshConfig = DEFAULT_MESH_CONFIG, version = 1): MeshSnapshot {
  return MeshSnapshot.build({ configs: configsFromYaml(yaml), services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh }, version);
}

export const PRODUCTPAGE_PROXY: ProxyNode = {
  id: 'sidecar~127.1.0.1~productpage-v1.default~default.svc.cluster.local',
  type: 'sidecar',
  ip: '127.1.0.1',
  namespace: 'default',
  workloadName: 'productpage-v1',
  labels: { app: 'productpage', version: 'v1' },
  serviceAccount: 'bookinfo-productpage',
  locality: { region: 'region1', zone: 'zone1' },
  interceptionMode: 'NONE',
  inbound: [{ port: 9080, name: 'http', protocol: 'HTTP', target: '127.0.0.1:19080' }],
  service: 'productpage',
};

export const GATEWAY_PROXY: ProxyNode = {
  id: 'router~127.0.0.1~istio-ingressgateway.istio-system~istio-system.svc.cluster.local',
  type: 'router',
  ip: '127.0.0.1',
  namespace: 'istio-system',
  workloadName: 'istio-ingressgateway',
  labels: { istio: 'ingressgateway' },
  serviceAccount: 'istio-ingressgateway',
  locality: {},
  interceptionMode: 'NONE',
  inbound: [],
};

export const GRPC_CLIENT: ProxyNode = {
  id: 'grpc-client-1',
  type: 'proxyless',
  ip: '',
  namespace: 'default',
  workloadName: 'grpc-client-1',
  labels: {},
  serviceAccount: 'default',
  locality: {},
  interceptionMode: 'NONE',
  inbound: [],
};
