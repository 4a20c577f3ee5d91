import { type Cluster, type Listener, TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { bookinfoSnapshot, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const SIDECAR = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage-ingress}
spec:
  workloadSelector: {labels: {app: productpage}}
  ingress:
  - port: {number: 9090, protocol: HTTP, name: http-admin}
    defaultEndpoint: 127.0.0.1:19090
  - port: {number: 5432, protocol: TCP, name: tcp-db}
    defaultEndpoint: 0.0.0.0:15432
`;

const ip = PRODUCTPAGE_PROXY.ip;
const inbound = (yaml: string) => {
  const snapshot = bookinfoSnapshot(yaml);
  const listeners = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener).map((r) => r.body as Listener).filter((l) => l.trafficDirection === 'INBOUND');
  const clusters = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster).map((r) => r.body as Cluster).filter((c) => c.name.startsWith('inbound|'));
  return { listeners: listeners.map((l) => l.name), clusters: Object.fromEntries(clusters.map((c) => [c.name, c.loadAssignment?.endpoints?.[0].lbEndpoints?.[0].endpoint?.address?.socketAddress])) };
};

describe('Sidecar ingress listeners', () => {
  it("replace the workload's declared inbound ports; a loopback defaultEndpoint means the workload itself", () => {
    expect(inbound(SIDECAR)).toEqual({
      listeners: [`${ip}_5432`, `${ip}_9090`],
      clusters: { 'inbound|5432||': { address: ip, portValue: 15432 }, 'inbound|9090||': { address: ip, portValue: 19090 } },
    });
  });

  it('leave the declared ports alone when no Sidecar with ingress selects the workload', () => {
    const declared = inbound('');
    expect(declared.listeners).toEqual([`${ip}_9080`]);
    expect(Object.keys(declared.clusters)).toEqual(['inbound|9080||']);
  });
});
