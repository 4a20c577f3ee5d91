import { type Cluster, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

/** inboundConnectionPool for every inbound port; the 9090 ingress listener overrides it. */
const SIDECAR = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage-pool}
spec:
  workloadSelector: {labels: {app: productpage}}
  inboundConnectionPool:
    tcp: {maxConnections: 7, connectTimeout: 3s}
    http: {http1MaxPendingRequests: 2, maxRequestsPerConnection: 5, idleTimeout: 30s}
  ingress:
  - port: {number: 9080, protocol: HTTP, name: http}
    defaultEndpoint: 127.0.0.1:9080
  - port: {number: 9090, protocol: HTTP, name: http-admin}
    defaultEndpoint: 127.0.0.1:19090
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}
`;

const inboundClusters = (yaml: string): Record<string, Cluster> => {
  const clusters = generate({ snapshot: bookinfoSnapshot(yaml), proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).map((r) => r.body as Cluster);
  return Object.fromEntries(clusters.filter((c) => c.name.startsWith('inbound|')).map((c) => [c.name, c]));
};
const limits = (c: Cluster) => {
  const t = c.circuitBreakers?.thresholds?.[0];
  return { maxConnections: t?.maxConnections?.value, maxPendingRequests: t?.maxPendingRequests?.value };
};

describe('Sidecar inbound connection pool (SidecarScope.InboundConnectionPoolForPort)', () => {
  it('applies inboundConnectionPool to inbound clusters as a DestinationRule connectionPool applies to outbound ones', () => {
    const c = inboundClusters(SIDECAR)['inbound|9080||'];
    expect(limits(c)).toEqual({ maxConnections: 7, maxPendingRequests: 2 });
    expect(c.connectTimeout).toEqual({ seconds: 3 });
    expect(c.maxRequestsPerConnection).toEqual({ value: 5 });
    expect(JSON.stringify(c.typedExtensionProtocolOptions)).toContain('"idleTimeout":{"seconds":30');
  });

  it("an ingress listener's connectionPool replaces inboundConnectionPool for its port", () => {
    expect(limits(inboundClusters(SIDECAR)['inbound|9090||'])).toEqual({ maxConnections: 1, maxPendingRequests: 1 });
  });

  it('leaves inbound clusters without circuit breakers when no pool is set', () => {
    const c = inboundClusters(SIDECAR.replace(/ {2}inboundConnectionPool:\n.*\n.*\n/, ''))['inbound|9080||'];
    expect(c.circuitBreakers).toBeUndefined();
    expect(c.maxRequestsPerConnection).toBeUndefined();
  });
});
