import { type ConnectRequest, GalleyApply, PilotHeartbeat, RegistryConnect, RegistryDisconnect } from '@mizzen/contracts';
import { BusError } from '@mizzen/bus';
import type { ServicePort } from '@mizzen/mesh-model';
import { waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GalleyHarness, startGalleyHarness } from '../testing/galley-harness';

const GRACE = 400;
let h: GalleyHarness;

beforeAll(async () => {
  h = await startGalleyHarness({ gracePeriodMs: GRACE });
});
afterAll(async () => {
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connectReq(name: string, pilotId: string, ports: ServicePort[] = [{ name: 'http', number: 9080, protocol: 'HTTP' }]): ConnectRequest {
  return {
    pilotId,
    proxyId: `sidecar~10.0.0.1~${name}.default~default.svc.cluster.local`,
    workload: { name, namespace: 'default', address: '10.0.0.1', labels: { app: 'reviews' }, serviceAccount: 'reviews', source: { kind: 'Registration', namespace: 'default', name } },
    service: { name: 'reviews', ports },
  };
}

const keys = async () => (await h.registryKv.keys()).sort();
const disconnect = (name: string, pilotId: string) =>
  h.client.publish(RegistryDisconnect, { pilotId, proxyId: `sidecar~10.0.0.1~${name}.default~default.svc.cluster.local`, namespace: 'default', name });

describe('registration', () => {
  it('registers the workload and the service it declares, merging ports across replicas', async () => {
    await expect(h.client.request(RegistryConnect, connectReq('reviews-1', 'p1'))).resolves.toEqual({ ok: true });
    await expect(h.client.request(RegistryConnect, connectReq('reviews-2', 'p1', [{ name: 'grpc', number: 9090, protocol: 'GRPC' }]))).resolves.toEqual({ ok: true });
    expect(await keys()).toEqual(['service/default/reviews.default.svc.cluster.local', 'workload/default/reviews-1', 'workload/default/reviews-2']);
    const svc = await h.registryKv.get('service/default/reviews.default.svc.cluster.local');
    expect(svc?.value).toMatchObject({ selector: { app: 'reviews' }, ports: [{ number: 9080 }, { number: 9090 }], source: { kind: 'Registration', name: 'reviews' } });
    expect((await h.registryKv.get('workload/default/reviews-1'))?.value).toMatchObject({ source: { kind: 'Registration' }, serviceAccount: 'reviews' });
  });

  it('expires nothing for lack of heartbeats while no Pilot sends any', async () => {
    await sleep(GRACE * 2);
    expect(await keys()).toHaveLength(3);
  });

  it('removes a disconnected workload after the grace period, not before', async () => {
    disconnect('reviews-1', 'p1');
    await h.client.nc.flush();
    await sleep(GRACE / 3);
    expect(await keys()).toContain('workload/default/reviews-1');
    await waitFor(async () => !(await keys()).includes('workload/default/reviews-1'), { timeoutMs: GRACE * 5 });
    expect(await keys()).toContain('service/default/reviews.default.svc.cluster.local'); // reviews-2 still backs it
  });

  it('keeps a workload that reconnects within the grace period, and ignores a stale disconnect', async () => {
    await h.client.request(RegistryConnect, connectReq('reviews-3', 'p1'));
    disconnect('reviews-3', 'p1');
    await sleep(GRACE / 4);
    await h.client.request(RegistryConnect, connectReq('reviews-3', 'p2'));
    disconnect('reviews-3', 'p1'); // late, from the Pilot it left
    await sleep(GRACE * 2);
    expect(await keys()).toContain('workload/default/reviews-3');
  });

  it('expires workloads no live Pilot reports, and the service with its last workload', async () => {
    const beat = setInterval(() => h.client.publish(PilotHeartbeat, { pilotId: 'p2', workloads: ['default/reviews-3'], intervalMs: 50 }), 50);
    try {
      // reviews-2 is reported by nobody while p2 is alive: it goes; reviews-3 stays.
      await waitFor(async () => !(await keys()).includes('workload/default/reviews-2'), { timeoutMs: GRACE * 5 });
      expect(await keys()).toEqual(['service/default/reviews.default.svc.cluster.local', 'workload/default/reviews-3']);
      disconnect('reviews-3', 'p2');
    } finally {
      clearInterval(beat);
    }
    await waitFor(async () => (await keys()).length === 0, { timeoutMs: GRACE * 5 });
  });

  it('refuses to register over a workload defined by a WorkloadEntry', async () => {
    await h.client.request(GalleyApply, {
      documents: 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm}\nspec: {address: 10.0.0.9}\n',
      source: 'api',
      defaultNamespace: 'default',
      dryRun: false,
    });
    await waitFor(async () => (await keys()).includes('workload/default/vm'));
    const reply = await h.client.request(RegistryConnect, { ...connectReq('vm', 'p1'), service: undefined });
    expect(reply.ok).toBe(false);
    expect((await h.registryKv.get('workload/default/vm'))?.value).toMatchObject({ source: { kind: 'WorkloadEntry' } });
  });

  it('rejects a connect that breaks the contract with field paths', async () => {
    const bad = { ...connectReq('x', 'p1'), workload: { name: '', namespace: 'default', address: '', labels: {}, serviceAccount: 'a', source: { kind: 'Registration', namespace: 'default', name: 'x' } } };
    // Both requests break the contract on purpose (an empty name and address; no workload at all).
    await expect(h.client.request(RegistryConnect, bad as ConnectRequest)).rejects.toMatchObject({ code: 'invalid-request' });
    const err = await h.client.request(RegistryConnect, { pilotId: 'p1' } as ConnectRequest).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof BusError)) throw new Error(`expected a BusError, got ${String(err)}`);
    expect(err.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['proxyId', 'workload']));
  });
});
