import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { MeshCa } from '../testing/mesh-ca';
import { ROOT_SECRET, SecretStore, WORKLOAD_SECRET } from './secret-store';

describe('SecretStore', () => {
  it('rotates by version, notifies, and ignores an update with the same content', async () => {
    const ca = await MeshCa.create();
    const one = await ca.issue('spiffe://cluster.local/ns/default/sa/a');
    const two = await ca.issue('spiffe://cluster.local/ns/default/sa/a');
    const s = new SecretStore();
    const updates: string[] = [];
    s.on('update', (n) => updates.push(n));
    const v1 = s.setCertificate(WORKLOAD_SECRET, one.chain, one.key).version;
    expect(s.setCertificate(WORKLOAD_SECRET, one.chain, one.key).version).toBe(v1);
    const v2 = s.setCertificate(WORKLOAD_SECRET, two.chain, two.key).version;
    expect(v2).toBeGreaterThan(v1);
    s.setTrustBundle(ROOT_SECRET, [one.root, one.root]);
    expect(s.validation(ROOT_SECRET)?.roots).toHaveLength(1);
    expect(updates).toEqual([WORKLOAD_SECRET, WORKLOAD_SECRET, ROOT_SECRET]);
    expect(s.certificate(WORKLOAD_SECRET)?.leaf).toMatchObject({ serialNumber: two.serial.toLowerCase(), uriSans: ['spiffe://cluster.local/ns/default/sa/a'] });
    expect(s.problem(ROOT_SECRET, 'certificate')).toBe('secret "ROOTCA" is a validation secret, not a certificate secret');
  });

  it("serves Istio's file secrets: file-cert:<chain>~<key>, file-root:<bundle>, file-root:system", async () => {
    const ca = await MeshCa.create();
    const svid = await ca.issue('spiffe://cluster.local/ns/default/sa/a');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-secrets-'));
    const f = (n: string, c: string) => (fs.writeFileSync(path.join(dir, n), c), path.join(dir, n));
    const s = new SecretStore();
    expect(s.certificate(`file-cert:${f('c.pem', svid.chain)}~${f('k.pem', svid.key)}`)?.leaf.serialNumber).toBe(svid.serial.toLowerCase());
    expect(s.validation(`file-root:${f('r.pem', svid.root)}`)?.roots).toHaveLength(1);
    expect(s.validation('file-root:system')?.roots.length).toBe(new Set(tls.rootCertificates).size);
    expect(s.problem(`file-root:${dir}/missing.pem`, 'validation')).toMatch(/ENOENT/);
    expect(s.problem('default', 'certificate')).toBe('secret "default" is not available: this proxy has no certificate agent (start it with --ca-addr)');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
