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

  it('sends --interception-mode as INTERCEPTION_MODE (NONE by default, TPROXY for sidecars only)', () => {
    const none = parseAgentOptions({});
    expect(none.ok && buildNode(none.value).metadata?.INTERCEPTION_MODE).toBe('NONE');
    const tproxy = parseAgentOptions({ interceptionMode: 'tproxy' });
    expect(tproxy.ok && buildNode(tproxy.value).metadata?.INTERCEPTION_MODE).toBe('TPROXY');
    const bad = parseAgentOptions({ interceptionMode: 'REDIRECT' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['interceptionMode']);
    const router = parseAgentOptions({ type: 'router', interceptionMode: 'TPROXY' });
    expect(router.ok ? '' : router.errors[0].message).toBe('TPROXY applies to sidecars only');
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

describe('certificate agent and Pilot TLS flags', () => {
  it('enables the agent with --ca-addr and a token file; defaults trust domain cluster.local and 24h', () => {
    const r = parseAgentOptions({ caAddr: '127.0.0.1:15012', caTokenFile: '/var/run/token' });
    expect(r.ok && r.value).toMatchObject({ trustDomain: 'cluster.local', ca: { addr: '127.0.0.1:15012', tokenFile: '/var/run/token', certTtlMs: 86_400_000 } });
    expect(parseAgentOptions({}).ok && parseAgentOptions({}).ok).toBe(true);
    const none = parseAgentOptions({});
    expect(none.ok && none.value.ca).toBeUndefined();
  });

  it('--pilot-tls verifies Pilot as spiffe://<td>/ns/mizzen-system/sa/pilot unless --pilot-san says otherwise', () => {
    const r = parseAgentOptions({ caAddr: 'citadel:15012', caTokenFile: 't', trustDomain: 'example.org', pilotTls: true });
    expect(r.ok && r.value.pilotTls).toEqual({ san: 'spiffe://example.org/ns/mizzen-system/sa/pilot' });
    const s = parseAgentOptions({ caRootFile: '/root.pem', pilotTls: 'true', pilotSan: 'spiffe://x/ns/y/sa/z' });
    expect(s.ok && s.value.pilotTls).toEqual({ san: 'spiffe://x/ns/y/sa/z' });
  });

  it('collects every bad certificate flag', () => {
    const r = parseAgentOptions({ caAddr: 'citadel', certTtl: 'soon', trustDomain: 'Bad Domain', pilotTls: true, pilotSan: undefined });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['trustDomain', 'certTtl', 'caAddr', 'caTokenFile']);
    const orphan = parseAgentOptions({ caTokenFile: 't', pilotSan: 'spiffe://x' });
    expect(orphan.ok ? [] : orphan.errors.map((e) => e.path)).toEqual(['caTokenFile', 'pilotSan']);
    const rootless = parseAgentOptions({ pilotTls: true });
    expect(rootless.ok ? [] : rootless.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(["pilotTls: needs a root to verify Pilot with: --ca-addr (the agent's ROOTCA) or --ca-root-file"]);
  });
});
