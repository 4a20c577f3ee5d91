import { GalleyApply, GalleyDelete } from '@mizzen/contracts';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGalley } from '../galley';
import { type GalleyHarness, startGalleyHarness } from '../testing/galley-harness';

let h: GalleyHarness;

beforeAll(async () => {
  h = await startGalleyHarness();
});
afterAll(async () => {
  await h?.stop();
});

const se = (name: string, host: string, port: number) =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${name}, namespace: ext}\nspec:\n  hosts: ["${host}"]\n  ports: [{number: ${port}, name: tls, protocol: TLS}]\n  resolution: NONE\n`;
const apply = (documents: string) => h.client.request(GalleyApply, { documents, source: 'api', defaultNamespace: 'default', dryRun: false });
const port = async (key: string) => ((await h.registryKv.get(key))?.value as { ports: { number: number }[] } | undefined)?.ports[0]?.number;

describe('registry from config', () => {
  it('writes wildcard hosts under a valid key', async () => {
    await apply(se('wiki', '*.wikipedia.org', 443));
    await waitFor(async () => (await port('service/ext/_.wikipedia.org')) === 443);
    expect((await h.registryKv.get('service/ext/_.wikipedia.org'))?.value).toMatchObject({ hostname: '*.wikipedia.org' });
  });

  it('when two ServiceEntries declare one host, the oldest wins and the other takes over when it goes', async () => {
    await apply(se('first', 'api.example.com', 1001));
    await waitFor(async () => (await port('service/ext/api.example.com')) === 1001);
    await new Promise((r) => setTimeout(r, 5)); // distinct creation timestamps
    await apply(se('second', 'api.example.com', 1002));
    await new Promise((r) => setTimeout(r, 300));
    expect(await port('service/ext/api.example.com')).toBe(1001);
    await h.client.request(GalleyDelete, { refs: [{ kind: 'ServiceEntry', namespace: 'ext', name: 'first' }], defaultNamespace: 'default' });
    await waitFor(async () => (await port('service/ext/api.example.com')) === 1002);
  });

  it('after a restart, removes derived records whose config disappeared while it was down', async () => {
    await h.galley.close();
    await h.configKv.delete('ServiceEntry/ext/wiki');
    await h.registryKv.put('service/ext/stale.example.com', {
      hostname: 'stale.example.com',
      namespace: 'ext',
      ports: [],
      resolution: 'NONE',
      location: 'MESH_EXTERNAL',
      source: { kind: 'ServiceEntry', namespace: 'ext', name: 'gone' },
    });
    h.galley = await startGalley({ natsUrl: h.nats.url, gracePeriodMs: 30_000, logLevel: 'info' }, { logger: false });
    expect((await h.registryKv.keys()).sort()).toEqual(['service/ext/api.example.com']);
  });
});
