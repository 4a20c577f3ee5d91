import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyApply, GalleyDelete, type StoredConfig } from '@mizzen/contracts';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGalley } from '../galley';
import { type GalleyHarness, snapshot, startGalleyHarness } from '../testing/galley-harness';

let dir: string;
let h: GalleyHarness;

const we = (name: string, address: string, ns = 'default') =>
  `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {address: ${address}, labels: {app: ${name}}}\n`;

/** Writes atomically (temp file + rename), as editors and config management do. */
async function write(file: string, text: string): Promise<void> {
  const tmp = path.join(dir, `.tmp-${path.basename(file)}`);
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, path.join(dir, file));
}

async function stored(key: string): Promise<StoredConfig | undefined> {
  return (await h.configKv.get(key))?.value as StoredConfig | undefined;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-dir-'));
  // Present before start: applied before Galley reports ready.
  await fs.mkdir(path.join(dir, 'team'));
  await fs.writeFile(path.join(dir, 'team', 'vms.yaml'), `${we('vm-a', '10.0.0.1')}---\n${we('vm-b', '10.0.0.2')}`);
  await fs.writeFile(path.join(dir, 'notes.txt'), 'not config');
  h = await startGalleyHarness({ configDir: dir });
});

afterAll(async () => {
  await h?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('directory source', () => {
  it('applies the files present at start-up before ready, owned by the file', async () => {
    expect(Object.keys(await snapshot(h.configKv))).toEqual(['WorkloadEntry/default/vm-a', 'WorkloadEntry/default/vm-b']);
    expect(await stored('WorkloadEntry/default/vm-a')).toMatchObject({ source: 'file:team/vms.yaml', metadata: { generation: 1 } });
  });

  it('adds a new file and applies changes, deleting what a file no longer declares', async () => {
    await write('one.json', JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm-c' }, spec: { address: '10.0.0.3' } }));
    await waitFor(() => stored('WorkloadEntry/default/vm-c'), { timeoutMs: 5000 });
    await write('team/vms.yaml', `${we('vm-a', '10.0.0.11')}`);
    await waitFor(async () => (await stored('WorkloadEntry/default/vm-b')) === undefined, { timeoutMs: 5000 });
    expect(await stored('WorkloadEntry/default/vm-a')).toMatchObject({ spec: { address: '10.0.0.11' }, metadata: { generation: 2 } });
  });

  it('rejects an invalid file whole and keeps its previous resources', async () => {
    const before = await snapshot(h.configKv);
    await write('team/vms.yaml', `${we('vm-a', '10.0.0.12')}---\n${we('vm-new', '10.0.0.13')}---\napiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: bad}\nspec: {address: 10.0.0.14, weight: -5}\n`);
    // Give the watcher time to see it (it logs the rejection); nothing may change.
    await new Promise((r) => setTimeout(r, 600));
    expect(await snapshot(h.configKv)).toEqual(before);
  });

  it('does not let the API overwrite a file-owned resource, nor a file take over an API-owned one', async () => {
    const reply = await h.client.request(GalleyApply, { documents: we('vm-a', '10.9.9.9'), source: 'api', defaultNamespace: 'default', dryRun: false });
    expect(reply.accepted).toBe(false);
    expect(reply.results[0].errors?.[0].message).toMatch(/owned by file:team\/vms.yaml/);
    const del = await h.client.request(GalleyDelete, { refs: [{ kind: 'WorkloadEntry', namespace: 'default', name: 'vm-a' }], defaultNamespace: 'default' });
    expect(del.accepted).toBe(false);

    await h.client.request(GalleyApply, { documents: we('vm-api', '10.1.1.1'), source: 'api', defaultNamespace: 'default', dryRun: false });
    await write('claims.yaml', `${we('vm-api', '10.2.2.2')}---\n${we('vm-d', '10.2.2.3')}`);
    await waitFor(() => stored('WorkloadEntry/default/vm-d'), { timeoutMs: 5000 });
    expect(await stored('WorkloadEntry/default/vm-api')).toMatchObject({ source: 'api', spec: { address: '10.1.1.1' } });

    // Once the API owner deletes it, the file's version is applied.
    await h.client.request(GalleyDelete, { refs: [{ kind: 'WorkloadEntry', namespace: 'default', name: 'vm-api' }], defaultNamespace: 'default' });
    await waitFor(async () => (await stored('WorkloadEntry/default/vm-api'))?.source === 'file:claims.yaml', { timeoutMs: 5000 });
  });

  it('a removed file deletes exactly the resources it owned', async () => {
    await fs.rm(path.join(dir, 'team', 'vms.yaml'));
    await waitFor(async () => (await stored('WorkloadEntry/default/vm-a')) === undefined, { timeoutMs: 5000 });
    expect(Object.keys(await snapshot(h.configKv)).sort()).toEqual(['WorkloadEntry/default/vm-api', 'WorkloadEntry/default/vm-c', 'WorkloadEntry/default/vm-d']);
  });

  it('feeds the registry like any other source', async () => {
    await waitFor(async () => {
      const reg = Object.keys(await snapshot(h.registryKv)).sort();
      expect(reg).toEqual(['workload/default/vm-api', 'workload/default/vm-c', 'workload/default/vm-d']);
      return true;
    });
  });
});

describe('directory source across NATS outages', () => {
  it('applies a change made while NATS was down once it is back', async () => {
    await h.nats.kill();
    await write('outage.yaml', we('vm-outage', '10.7.7.7'));
    await new Promise((r) => setTimeout(r, 300));
    await h.nats.start();
    await waitFor(() => stored('WorkloadEntry/default/vm-outage'), { timeoutMs: 20_000 });
    await waitFor(async () => (await h.registryKv.keys()).includes('workload/default/vm-outage'), { timeoutMs: 10_000 });
  }, 30_000);
});

describe('directory source across restarts', () => {
  it('removes resources of files deleted while Galley was down', async () => {
    await h.galley.close();
    await fs.rm(path.join(dir, 'one.json'));
    h.galley = await startGalley({ natsUrl: h.nats.url, configDir: dir, gracePeriodMs: 30_000, logLevel: 'info' }, { logger: false });
    expect(await stored('WorkloadEntry/default/vm-c')).toBeUndefined();
    expect(await stored('WorkloadEntry/default/vm-d')).toBeDefined();
    await waitFor(async () => !(await h.registryKv.keys()).includes('workload/default/vm-c'));
  });
});
