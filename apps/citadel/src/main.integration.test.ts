import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { CitadelToken, TrustBucket } from '@mizzen/contracts';
import { createCsr, generateKeyPair } from '@mizzen/pki';
import { type NatsServer, freePort, spawnProcess, startNats } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaClient } from './testing/ca-client';
import { opensslVerify } from './testing/openssl';

// The built entry point (`npx tsc -b apps/citadel` first); skipped when it was not built.
const MAIN = path.resolve(__dirname, '../dist/main.js');
const built = fs.existsSync(MAIN);

let nats: NatsServer;
let tmp: string;
beforeAll(async () => {
  nats = await startNats();
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'citadel-main-'));
});
afterAll(async () => {
  await nats?.stop();
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!built)('citadel process', () => {
  it('prints "citadel ready", issues a verified SVID to a token holder, never logs a key, exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const caDir = path.join(tmp, 'ca');
    const citadel = await spawnProcess(process.execPath, [MAIN, '--nats', nats.url, '--ca-dir', caDir, '--grpc-port', String(port), '--log-level', 'debug'], {
      name: 'citadel',
      readyLine: /^citadel ready$/,
    });
    const bus = await Bus.connect({ url: nats.url });
    const ca = new CaClient(`127.0.0.1:${port}`, () => fs.readFileSync(path.join(caDir, 'root-cert.pem'), 'utf8'));
    try {
      const kv = await bus.openKv(TrustBucket.name);
      expect(TrustBucket.value((await kv.get(TrustBucket.bundleKey))?.value).ok).toBe(true);
      const { token } = await bus.request(CitadelToken, { namespace: 'bookinfo', serviceAccount: 'productpage', requester: 'test' });
      const r = await ca.createCertificate(await createCsr(await generateKeyPair(), { uris: ['spiffe://cluster.local/ns/bookinfo/sa/productpage'] }), { token });
      if (!r.ok) throw new Error(r.details);
      expect((await opensslVerify({ roots: r.chain[2], intermediates: r.chain[1], leaf: r.chain[0] })).code).toBe(0);

      // The CSR port is TLS (Istio's 15012): openssl verifies Citadel's own certificate against the
      // mesh root and the address it dials; it carries Citadel's SPIFFE ID. Plaintext gets nowhere.
      const s = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', path.join(caDir, 'root-cert.pem'), '-verify_return_error', '-verify_ip', '127.0.0.1', '-alpn', 'h2', '-showcerts'], { input: '', encoding: 'utf8', timeout: 10_000 });
      expect(s.stdout).toMatch(/Verify return code: 0 \(ok\)/);
      const leaf = new X509Certificate(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(s.stdout)?.[0] ?? '');
      expect(leaf.subjectAltName).toContain('URI:spiffe://cluster.local/ns/mizzen-system/sa/citadel');
      expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
      const plain = new CaClient(`127.0.0.1:${port}`);
      const refused = await plain.createCertificate(await createCsr(await generateKeyPair(), { uris: ['spiffe://cluster.local/ns/bookinfo/sa/productpage'] }), { token });
      plain.close();
      expect(refused).toMatchObject({ ok: false, code: 14 /* UNAVAILABLE */ });
    } finally {
      ca.close();
      await bus.close();
    }
    expect(await citadel.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const out = citadel.output();
    expect(out).toMatch(/issued spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/productpage/);
    expect(out).not.toMatch(/PRIVATE KEY/);
    for (const f of ['ca-key.pem', 'root-key.pem', 'token-key.pem']) {
      const key = (await fsp.readFile(path.join(caDir, f), 'utf8')).split('\n')[1];
      expect(out.includes(key), `${f} appears in the log`).toBe(false);
    }
  });

  it('exits 2 naming every bad flag', async () => {
    const citadel = await spawnProcess(process.execPath, [MAIN, '--workload-cert-ttl', 'soon', '--colour', '--auth', 'magic'], { name: 'citadel' });
    expect((await citadel.exited).code).toBe(2);
    expect(citadel.output()).toMatch(/--colour: unknown flag/);
    expect(citadel.output()).toMatch(/--workload-cert-ttl: "soon" is not a duration/);
    expect(citadel.output()).toMatch(/--auth: must be local, kubernetes/);
  });
});
