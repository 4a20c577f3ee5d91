import type { ServiceEntry, WorkloadEntry } from '@mizzen/config-api';
import { describe, expect, it } from 'vitest';
import { deriveRecords, portProtocol } from './derive-records';

const se = (spec: ServiceEntry['spec'], ns = 'shop'): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'ext', namespace: ns },
  spec,
});

describe('deriveRecords: ServiceEntry', () => {
  it('makes one service per host, qualifying short names with the namespace', () => {
    const { records, notes } = deriveRecords(
      se({
        hosts: ['api.example.com', 'payments'],
        ports: [
          { number: 443, name: 'https', protocol: 'TLS' },
          { number: 8080, name: 'http-web', targetPort: 9080 },
          { number: 9000, name: 'grpc-x', protocol: 'grpc' },
        ],
        resolution: 'DNS',
        location: 'MESH_INTERNAL',
        addresses: ['10.1.2.3'],
        subjectAltNames: ['spiffe://example.com/payments', 'spiffe://example.com/payments'],
        exportTo: ['.'],
        endpoints: [{ address: 'a.example.com', ports: { https: 8443 }, labels: { v: '1' }, weight: 2 }],
      }),
    );
    expect(notes).toEqual([]);
    expect(records.map((r) => r.key)).toEqual(['service/shop/api.example.com', 'service/shop/payments.shop.svc.cluster.local']);
    expect(records[1].record).toEqual({
      hostname: 'payments.shop.svc.cluster.local',
      namespace: 'shop',
      ports: [
        { name: 'https', number: 443, protocol: 'TLS' },
        { name: 'http-web', number: 8080, protocol: 'HTTP', targetPort: 9080 },
        { name: 'grpc-x', number: 9000, protocol: 'GRPC' },
      ],
      resolution: 'DNS',
      location: 'MESH_INTERNAL',
      endpoints: [{ address: 'a.example.com', ports: { https: 8443 }, labels: { v: '1' }, weight: 2 }],
      addresses: ['10.1.2.3'],
      subjectAltNames: ['spiffe://example.com/payments'],
      exportTo: ['.'],
      source: { kind: 'ServiceEntry', namespace: 'shop', name: 'ext' },
    });
  });

  it('applies Istio defaults and uses the workload selector instead of endpoints', () => {
    const { records } = deriveRecords(se({ hosts: ['vm.internal'], ports: [{ number: 80, name: 'http' }], workloadSelector: { labels: { app: 'vm' } } }));
    expect(records[0].record).toMatchObject({ resolution: 'NONE', location: 'MESH_EXTERNAL', selector: { app: 'vm' } });
    expect(records[0].record).not.toHaveProperty('endpoints');
  });

  it('keys wildcard hosts without "*" (not allowed in KV keys) but keeps the host', () => {
    const { records } = deriveRecords(se({ hosts: ['*.wikipedia.org'], ports: [{ number: 443, name: 'tls' }], resolution: 'NONE' }));
    expect(records[0].key).toBe('service/shop/_.wikipedia.org');
    expect(records[0].record).toMatchObject({ hostname: '*.wikipedia.org' });
  });

  it('notes what it cannot represent', () => {
    const { records, notes } = deriveRecords(se({ hosts: ['x.example.com'], resolution: 'DYNAMIC_DNS', endpoints: [{ network: 'n2' }] }));
    expect(records[0].record).toMatchObject({ resolution: 'DNS', endpoints: [] });
    expect(notes).toHaveLength(2);
  });
});

describe('deriveRecords: WorkloadEntry', () => {
  const we = (spec: WorkloadEntry['spec']): WorkloadEntry => ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm-1', namespace: 'shop' }, spec });

  it('makes a workload, service account "default" unless set', () => {
    const { records } = deriveRecords(we({ address: '10.0.0.7', labels: { app: 'vm' }, ports: { http: 8080 }, locality: 'r/z', network: 'n1', weight: 3 }));
    expect(records).toEqual([
      {
        key: 'workload/shop/vm-1',
        record: {
          name: 'vm-1',
          namespace: 'shop',
          address: '10.0.0.7',
          ports: { http: 8080 },
          labels: { app: 'vm' },
          serviceAccount: 'default',
          locality: 'r/z',
          network: 'n1',
          weight: 3,
          source: { kind: 'WorkloadEntry', namespace: 'shop', name: 'vm-1' },
        },
      },
    ]);
    expect(deriveRecords(we({ address: '10.0.0.8', serviceAccount: 'vm-sa' })).records[0].record).toMatchObject({ serviceAccount: 'vm-sa', labels: {} });
  });

  it('skips entries without an address', () => {
    expect(deriveRecords(we({ network: 'n2' })).records).toEqual([]);
  });
});

describe('portProtocol', () => {
  it('prefers the protocol field, case-insensitively, else the port name', () => {
    expect(portProtocol('http2', 'x')).toBe('HTTP2');
    expect(portProtocol(undefined, 'redis-main')).toBe('REDIS');
    expect(portProtocol('UDP', 'dns')).toBe('UNKNOWN');
    expect(portProtocol(undefined, 'web')).toBe('UNKNOWN');
  });
});
