import { describe, expect, it } from 'vitest';
import { parseCitadelConfig } from './citadel-config';
import { formatDuration, parseDuration } from './duration';

describe('parseCitadelConfig', () => {
  it('defaults: local auth, 24h workload certs, 15012 on loopback, ECDSA CAs', () => {
    const r = parseCitadelConfig([], {}, '/srv');
    expect(r).toEqual({
      ok: true,
      value: {
        natsUrl: 'nats://127.0.0.1:4222',
        caDir: '/srv/.mizzen/citadel',
        trustDomain: 'cluster.local',
        grpcHost: '127.0.0.1',
        grpcPort: 15012,
        grpcTls: true,
        workloadCertTtlMs: 86_400_000,
        maxWorkloadCertTtlMs: 90 * 86_400_000,
        rootCertTtlMs: 3650 * 86_400_000,
        rootGracePeriodMs: 48 * 3_600_000,
        rootActivationDelayMs: 60_000,
        caKeyAlgorithm: 'ECDSA-P256',
        rotateRoot: false,
        auth: ['local'],
        tokenTtlMs: 86_400_000,
        maxTokenTtlMs: 7 * 86_400_000,
        controlPlaneNamespace: 'mizzen-system',
        logLevel: 'info',
      },
    });
  });

  it('reads flags in both spellings over the environment', () => {
    const r = parseCitadelConfig(['--ca-dir=ca', '--trust-domain', 'example.org', '--workload-cert-ttl', '1h30m', '--ca-key-algorithm', 'RSA-2048', '--rotate-root', '--root-activation-delay', '0s'], { NATS_URL: 'nats://env:2', CITADEL_CA_DIR: '/etc/x' }, '/srv');
    expect(r.ok && r.value).toMatchObject({ natsUrl: 'nats://env:2', caDir: '/srv/ca', trustDomain: 'example.org', workloadCertTtlMs: 5_400_000, caKeyAlgorithm: 'RSA-2048', rotateRoot: true, rootActivationDelayMs: 0 });
  });

  it('derives the in-cluster Kubernetes settings', () => {
    const r = parseCitadelConfig(['--auth', 'local,kubernetes'], { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, '/');
    expect(r.ok && r.value.kube).toEqual({
      apiUrl: 'https://10.96.0.1:443',
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      audiences: ['istio-ca'],
    });
  });

  it('reports every bad flag', () => {
    const r = parseCitadelConfig(['--trust-domain', 'Bad_Domain!', '--grpc-port', 'x', '--auth', 'kubernetes', '--token-ttl', '30d', '--bogus', '--nats'], {}, '/');
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['--bogus', '--nats', '--trust-domain', '--grpc-port', '--token-ttl', '--kube-api']);
  });
});

describe('durations', () => {
  it.each([
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['7d', 604_800_000],
    ['1.5s', 1500],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it('refuses non-durations and formats back', () => {
    expect(parseDuration('24')).toBeUndefined();
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseDuration('h')).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });
});
