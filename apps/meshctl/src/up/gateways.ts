/**
 * The gateways `meshctl up` runs: Istio's default profile deploys an ingress gateway and (in the
 * `demo` profile) an egress gateway, both the proxy in router mode in `istio-system`, selected by
 * Gateways through their `istio=` label.
 */
export interface GatewayWorkload {
  name: string;
  namespace: string;
  serviceAccount: string;
  labels: Readonly<Record<string, string>>;
}

export const INGRESS_GATEWAY: GatewayWorkload = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  serviceAccount: 'istio-ingressgateway',
  labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
};

export const EGRESS_GATEWAY: GatewayWorkload = {
  name: 'istio-egressgateway',
  namespace: 'istio-system',
  serviceAccount: 'istio-egressgateway',
  labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
};

/** The egress gateway's HTTP and TLS ports (Istio's chart: 80 -> 8080 and 443 -> 8443; local mode binds no port below 1024). */
export const EGRESS_GATEWAY_PORTS = { http: 8080, tls: 8443 } as const;

/**
 * The egress gateway's Service, which Istio's chart installs as a Kubernetes Service: in local mode
 * a ServiceEntry with the gateway's address, so sidecars can route to
 * `istio-egressgateway.istio-system.svc.cluster.local` (VirtualServices, Sidecar `egressProxy`).
 */
export function egressGatewayServiceEntry(ip: string): string {
  const labels = Object.entries(EGRESS_GATEWAY.labels).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${EGRESS_GATEWAY.name}, namespace: ${EGRESS_GATEWAY.namespace}}
spec:
  hosts: [${EGRESS_GATEWAY.name}.${EGRESS_GATEWAY.namespace}.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
  - {number: ${EGRESS_GATEWAY_PORTS.http}, name: http, protocol: HTTP}
  - {number: ${EGRESS_GATEWAY_PORTS.tls}, name: tls, protocol: TLS}
  endpoints: [{address: ${ip}, labels: {${labels}}}]
`;
}
