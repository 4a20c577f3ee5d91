import { describe, expect, it } from 'vitest';
import { type Listener, TypeUrl, type RouteConfiguration } from '@mizzen/xds-types';
import type { Service } from '@mizzen/mesh-model';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { MeshSnapshot } from '../snapshot/mesh-snapshot';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, bookinfoSnapshot, configsFromYaml, DESTINATION_RULES_YAML, PRODUCTPAGE_PROXY } from '../testing/bookinfo-fixture';
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

  describe('egress listeners with a port', () => {
    /** A two-port service (HTTP 8080, TCP 5432) beside Bookinfo's. */
    const DB: Service = {
      hostname: 'db.default.svc.cluster.local',
      namespace: 'default',
      ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }, { name: 'tcp', number: 5432, protocol: 'TCP' }],
      resolution: 'STATIC',
      location: 'MESH_INTERNAL',
      selector: { app: 'db' },
      source: { kind: 'Registration', namespace: 'default', name: 'db' },
    };
    const sidecar = (egress: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec:
  egress:
${egress}`;
    const config = (yaml: string) => {
      const snapshot = MeshSnapshot.build({ configs: configsFromYaml(yaml), services: [...BOOKINFO_SERVICES, DB], workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);
      const rc = generate({ snapshot, proxy: PRODUCTPAGE_PROXY, names: ['http_proxy'] }, TypeUrl.RouteConfiguration)[0].body as RouteConfiguration;
      const listeners = generate({ snapshot, proxy: PRODUCTPAGE_PROXY }, TypeUrl.Listener).map((r) => (r.body as Listener).name);
      return { vhosts: rc.virtualHosts?.map((v) => v.name) ?? [], listeners };
    };

    it('a port-bound listener admits its hosts on that port only; the port-less one covers the other ports', () => {
      const c = config(sidecar(`  - port: {number: 5432, protocol: TCP, name: tcp}
    hosts: ["./db.default.svc.cluster.local"]
  - hosts: ["./reviews.default.svc.cluster.local"]
`));
      expect(c.listeners).toContain('outbound_tcp_5432');
      expect(c.vhosts).toContain('reviews.default.svc.cluster.local:9080');
      expect(c.vhosts).not.toContain('db.default.svc.cluster.local:8080');
    });

    it('on a port with its own listener, the port-less listener does not apply', () => {
      const c = config(sidecar(`  - port: {number: 9080, protocol: HTTP, name: http}
    hosts: ["./details.default.svc.cluster.local"]
  - hosts: ["*/*"]
`));
      expect(c.vhosts).toContain('details.default.svc.cluster.local:9080');
      expect(c.vhosts).not.toContain('reviews.default.svc.cluster.local:9080');
      expect(c.vhosts).toContain('db.default.svc.cluster.local:8080');
      expect(c.listeners).toContain('outbound_tcp_5432');
    });

    it('without a port-less listener, ports with no listener of their own admit nothing', () => {
      const c = config(sidecar(`  - port: {number: 9080, protocol: HTTP, name: http}
    hosts: ["*/*"]
`));
      expect(c.vhosts).toContain('reviews.default.svc.cluster.local:9080');
      expect(c.vhosts).not.toContain('db.default.svc.cluster.local:8080');
      expect(c.listeners).not.toContain('outbound_tcp_5432');
    });
  });
});
