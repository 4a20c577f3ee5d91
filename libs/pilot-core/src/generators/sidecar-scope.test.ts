import { describe, expect, it } from 'vitest';
import { TypeUrl, type RouteConfiguration } from '@mizzen/xds-types';
import { bookinfoSnapshot, DESTINATION_RULES_YAML, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
import { generate } from './registry';

const SIDECAR = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage, namespace: default}
spec:
  workloadSelector: {labels: {app: productpage}}
  egress:
  - hosts: ["./reviews.default.svc.cluster.local", "./details.default.svc.cluster.local"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
`;

const sizeOf = (snapshotYaml: string) => {
  const snapshot = bookinfoSnapshot(snapshotYaml);
  const cds = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Cluster);
  const rds = generate({ snapshot, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration);
  return { cds, rds, bytes: JSON.stringify([...cds, ...rds]).length };
};

describe('Sidecar egress scoping', () => {
  it('gives a proxy only the services its Sidecar admits, and a smaller config', () => {
    const full = sizeOf(DESTINATION_RULES_YAML);
    const scoped = sizeOf(DESTINATION_RULES_YAML + '---' + SIDECAR);
    const hosts = new Set(scoped.cds.map((c) => c.name.split('|')[3]).filter(Boolean));
    expect([...hosts].sort()).toEqual(['details.default.svc.cluster.local', 'reviews.default.svc.cluster.local']);
    expect(scoped.cds.map((c) => c.name)).toContain('inbound|9080||');
    expect(scoped.bytes).toBeLessThan(full.bytes * 0.8);
  });

  it('applies the Sidecar outbound traffic policy', () => {
    const rc = sizeOf(DESTINATION_RULES_YAML + '---' + SIDECAR).rds[0].body as RouteConfiguration;
    expect(rc.virtualHosts?.at(-1)?.name).toBe('block_all');
    expect(rc.virtualHosts?.map((v) => v.name)).not.toContain('ratings.default.svc.cluster.local:9080');
  });

  it('does not apply to workloads the selector does not match', () => {
    const snapshot = bookinfoSnapshot(DESTINATION_RULES_YAML + '---' + SIDECAR);
    const other = { ...PRODUCTPAGE_PROXY, labels: { app: 'details' } };
    expect(snapshot.servicesForProxy(other)).toHaveLength(4);
  });
});
