import fs from 'node:fs/promises';
import path from 'node:path';
import { CitadelRotateRoot } from '@mizzen/contracts';
import { certFingerprint, createCsr, generateKeyPair, joinPem } from '@mizzen/pki';
import { waitFor } from '@mizzen/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CitadelHarness, startCitadelHarness } from '../testing/citadel-harness';
import { opensslVerify } from '../testing/openssl';

const ID = 'spiffe://cluster.local/ns/default/sa/reviews';

let h: CitadelHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function issue(harness: CitadelHarness): Promise<string[]> {
  const token = await harness.token('default', 'reviews');
  const r = await harness.ca.createCertificate(await createCsr(await generateKeyPair(), { uris: [ID] }), { token });
  if (!r.ok) throw new Error(`${r.code}: ${r.details}`);
  return r.chain;
}

/** openssl verify of a chain's leaf against the bundle in KV (the intermediate from the chain). */
async function verifiesAgainst(bundlePems: string[], chain: string[]): Promise<boolean> {
  const r = await opensslVerify({ roots: joinPem(bundlePems), intermediates: chain[1], leaf: chain[0] });
  return r.code === 0;
}

describe('root persistence and rotation', () => {
  it('publishes the trust bundle on start and keeps the same root across a restart', async () => {
    h = await startCitadelHarness();
    const root = await fs.readFile(path.join(h.caDir, 'root-cert.pem'), 'utf8');
    const bundle = await h.bundle();
    expect(bundle).toMatchObject({ trustDomain: 'cluster.local', roots: [{ pem: root, sha256: certFingerprint(root), state: 'active' }] });
    const before = await issue(h);
    await h.restart();
    expect(await fs.readFile(path.join(h.caDir, 'root-cert.pem'), 'utf8')).toBe(root);
    const after = await issue(h);
    expect(after[2]).toBe(root);
    expect(after[1]).toBe(before[1]);
    expect((await h.bundle()).roots.map((r) => r.pem)).toEqual([root]);
  });

  it('rotates over NATS: bundle with both roots, old and new leaves verify, then the old root retires', async () => {
    h = await startCitadelHarness();
    const oldRoot = (await h.bundle()).roots[0].pem;
    const oldChain = await issue(h);

    const reply = await h.client.request(CitadelRotateRoot, { gracePeriodSeconds: 3, activationDelaySeconds: 0, requester: 'test' }, { timeoutMs: 10_000 });
    expect(reply.bundle.roots.map((r) => r.state)).toEqual(['active', 'retiring']);
    const bundle = await h.bundle();
    expect(bundle.roots.map((r) => r.state)).toEqual(['active', 'retiring']);
    expect(bundle.roots[1].pem).toBe(oldRoot);
    const newRoot = bundle.roots[0].pem;
    expect(newRoot).not.toBe(oldRoot);

    const newChain = await issue(h);
    // New leaves come from the new hierarchy; the response's last entry carries both roots.
    expect(newChain[2]).toBe(joinPem([newRoot, oldRoot]));
    expect(await verifiesAgainst([newRoot], newChain)).toBe(true);
    expect(await verifiesAgainst([oldRoot], newChain)).toBe(false);
    const both = bundle.roots.map((r) => r.pem);
    expect(await verifiesAgainst(both, oldChain)).toBe(true);
    expect(await verifiesAgainst(both, newChain)).toBe(true);

    // After the grace period only the new root is left, in KV and on disk.
    const retired = await waitFor(async () => {
      const b = await h!.bundle();
      return b.roots.length === 1 ? b : undefined;
    }, { timeoutMs: 10_000, message: 'old root retired' });
    expect(retired.roots.map((r) => r.pem)).toEqual([newRoot]);
    expect(await verifiesAgainst([newRoot], oldChain)).toBe(false);
    expect(JSON.parse(await fs.readFile(path.join(h.caDir, 'retiring-roots.json'), 'utf8'))).toEqual({ roots: [] });
  });

  it('announces the new root before it signs: pending in the bundle and in issued chains, persisted across a restart, then active', async () => {
    h = await startCitadelHarness();
    const oldRoot = (await h.bundle()).roots[0].pem;
    const reply = await h.client.request(CitadelRotateRoot, { gracePeriodSeconds: 3600, activationDelaySeconds: 4, requester: 'test' }, { timeoutMs: 10_000 });
    expect(reply.bundle.roots.map((r) => [r.pem === oldRoot, r.state])).toEqual([[true, 'active'], [false, 'pending']]);
    const newRoot = reply.bundle.roots[1].pem;
    expect(Date.parse(reply.bundle.roots[1].activateAt ?? '') - Date.now()).toBeGreaterThan(2000);
    // A second rotation while one is pending is refused, naming why.
    await expect(h.client.request(CitadelRotateRoot, { requester: 'test' }, { timeoutMs: 10_000 })).rejects.toThrow(/already under way/);

    // Still signing under the old root, but the chain's last entry carries both roots.
    const during = await issue(h);
    expect(during[2]).toBe(joinPem([oldRoot, newRoot]));
    expect(await verifiesAgainst([oldRoot], during)).toBe(true);

    // The pending hierarchy survives a restart (files in pending/, 0600 keys).
    await h.restart();
    expect((await h.bundle()).roots.map((r) => r.state)).toEqual(['active', 'pending']);
    expect((await fs.stat(path.join(h.caDir, 'pending', 'root-key.pem'))).mode & 0o777).toBe(0o600);

    const active = await waitFor(async () => {
      const b = await h!.bundle();
      return b.roots[0].pem === newRoot ? b : undefined;
    }, { timeoutMs: 15_000, message: 'new root active' });
    expect(active.roots.map((r) => [r.pem === newRoot, r.state])).toEqual([[true, 'active'], [false, 'retiring']]);
    const after = await issue(h);
    expect(await verifiesAgainst([newRoot], after)).toBe(true);
    expect(await verifiesAgainst([oldRoot], after)).toBe(false);
    await expect(fs.stat(path.join(h.caDir, 'pending'))).rejects.toThrow(/ENOENT/);
  });

  it('--rotate-root at start keeps the old root trusted across the restart until its grace period ends', async () => {
    h = await startCitadelHarness();
    const oldRoot = (await h.bundle()).roots[0].pem;
    const oldChain = await issue(h);
    await h.restart(['--rotate-root', '--root-grace-period', '1h', '--root-activation-delay', '0s']);
    const bundle = await h.bundle();
    expect(bundle.roots.map((r) => [r.pem === oldRoot, r.state])).toEqual([[false, 'active'], [true, 'retiring']]);
    expect(Date.parse(bundle.roots[1].retireAt ?? '') - Date.now()).toBeGreaterThan(3500_000);
    expect(await verifiesAgainst(bundle.roots.map((r) => r.pem), oldChain)).toBe(true);
    // A plain restart keeps the retiring root (persisted), it does not rotate again.
    await h.restart();
    expect((await h.bundle()).roots.map((r) => r.pem)).toEqual(bundle.roots.map((r) => r.pem));
  });
});
