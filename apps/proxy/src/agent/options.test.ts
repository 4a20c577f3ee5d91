import { describe, expect, it } from 'vitest';
import { buildNode } from './node';
import { parseAgentOptions } from './options';

describe('agent options', () => {
  it('parses the sidecar flags meshctl passes', () => {
    const r = parseAgentOptions({
      type: 'sidecar',
      ip: '127.1.0.5',
      namespace: 'default',
      workload: 'reviews-v1',
      service: 'reviews',
      serviceAccount: 'bookinfo-reviews',
      labels: 'app=reviews,version=v1',
      inbound: ['http:9080=127.1.0.5:19080'],
      locality: 'us-east/zone-a',
      pilot: '127.0.0.1:15010',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ adminPort: 15000, accessLog: true, labels: { app: 'reviews', version: 'v1' }, inbound: [{ name: 'http', port: 9080, protocol: 'HTTP', target: '127.1.0.5:19080' }], locality: { region: 'us-east', zone: 'zone-a' } });
    const node = buildNode(r.value);
    expect(node.id).toBe('sidecar~127.1.0.5~reviews-v1.default~default.svc.cluster.local');
    expect(node.metadata).toMatchObject({ NAMESPACE: 'default', LABELS: { app: 'reviews', version: 'v1' }, SERVICE_ACCOUNT: 'bookinfo-reviews', INSTANCE_IPS: '127.1.0.5', INTERCEPTION_MODE: 'NONE', MIZZEN_SERVICE: 'reviews' });
    expect(JSON.parse(String(node.metadata?.MIZZEN_INBOUND))).toEqual([{ name: 'http', port: 9080, protocol: 'HTTP', target: '127.1.0.5:19080' }]);
  });

  it('accepts several inbound specs in one env value', () => {
    const r = parseAgentOptions({ inbound: ['http:9080=127.0.0.1:1 grpc:9090=127.0.0.1:2'] });
    expect(r.ok && r.value.inbound.map((p) => p.protocol)).toEqual(['HTTP', 'GRPC']);
  });

  it('collects every bad flag', () => {
    const r = parseAgentOptions({ type: 'gateway', ip: 'localhost', inbound: ['9080'], labels: 'app', adminPort: '99999', pilot: 'pilot' });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['type', 'ip', 'inbound[0]', 'pilot', 'labels', 'adminPort']);
  });
});
