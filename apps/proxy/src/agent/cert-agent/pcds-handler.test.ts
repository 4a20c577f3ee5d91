import { TypeUrl } from '@mizzen/xds-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshCa } from '../../testing/mesh-ca';
import { ROOT_SECRET, SecretStore } from '../../tls/secret-store';
import { MeshTrust } from './mesh-trust';
import { pcdsHandler } from './pcds-handler';

const response = (caCertificatesPem: unknown, typeUrl: string = TypeUrl.ProxyConfig) => ({ versionInfo: 'v1', typeUrl: TypeUrl.ProxyConfig, nonce: '1', resources: [{ typeUrl, body: { caCertificatesPem } as Record<string, unknown> }] });

describe('PCDS trust anchors in ROOTCA', () => {
  let current: MeshCa;
  let next: MeshCa;
  beforeAll(async () => {
    [current, next] = [await MeshCa.create('current'), await MeshCa.create('next')];
  });

  it('ROOTCA holds the CA-returned roots plus the PCDS anchors, either arriving first', () => {
    const secrets = new SecretStore();
    const trust = new MeshTrust(secrets);
    const h = pcdsHandler(trust, () => undefined);
    expect(h.apply(response([current.root.certPem, next.root.certPem]), 'wildcard')).toBeUndefined();
    expect(secrets.validation(ROOT_SECRET)?.roots).toHaveLength(2);
    trust.setCaRoots([current.root.certPem]);
    expect(secrets.validation(ROOT_SECRET)?.roots).toHaveLength(2);
    // The anchors go away when PCDS no longer carries them; the CA's root stays.
    expect(h.apply(response([]), 'wildcard')).toBeUndefined();
    expect(secrets.validation(ROOT_SECRET)?.roots.map((r) => r.serialNumber)).toEqual([current.root.cert.serialNumber.toLowerCase()]);
  });

  it('NACKs an unreadable or non-CA entry naming it, and keeps ROOTCA as it was', async () => {
    const secrets = new SecretStore();
    const trust = new MeshTrust(secrets);
    trust.setCaRoots([current.root.certPem]);
    const before = secrets.validation(ROOT_SECRET);
    const h = pcdsHandler(trust, () => undefined);
    expect(h.apply(response([next.root.certPem, 'not a pem']), 'wildcard')).toBe('resources[0].caCertificatesPem[1]: no PEM certificate');
    const leaf = (await current.issue('spiffe://cluster.local/ns/default/sa/x')).chain;
    expect(h.apply(response([leaf]), 'wildcard')).toBe('resources[0].caCertificatesPem[0]: not a CA certificate');
    expect(h.apply(response('x'), 'wildcard')).toBe('resources[0].caCertificatesPem: not a list');
    expect(h.apply(response([], TypeUrl.Cluster), 'wildcard')).toMatch(/^resources\[0\]: type .*Cluster in a PCDS response$/);
    expect(secrets.validation(ROOT_SECRET)).toBe(before);
  });
});
