import { type NatsServer, startNats, waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus';
import { BusError } from '../errors';
import type { KvWatchEvent } from './watch-kv';
import { watchKv } from './watch-kv';

let nats: NatsServer;
let bus: Bus;

beforeAll(async () => {
  nats = await startNats();
  bus = await Bus.connect({ url: nats.url, reconnectTimeWaitMs: 100 });
});

afterAll(async () => {
  await bus?.close();
  await nats?.stop();
});

const strip = (events: KvWatchEvent[]) =>
  events.map((e) => (e.type === 'synced' ? 'synced' : e.type === 'put' ? `put ${e.key}=${JSON.stringify(e.value)}${e.initial ? ' (initial)' : ''}` : `delete ${e.key}`));

describe('KvStore', () => {
  it('creates the bucket, and writes return revisions', async () => {
    const kv = await bus.openKv('test-crud', { history: 3 });
    const r1 = await kv.put('a/b', { v: 1 });
    const r2 = await kv.put('a/b', { v: 2 });
    expect(r2).toBeGreaterThan(r1);
    expect(await kv.get('a/b')).toMatchObject({ key: 'a/b', value: { v: 2 }, revision: r2 });
    expect(await kv.get('missing')).toBeUndefined();
    const d = await kv.delete('a/b');
    expect(d).toBeGreaterThan(r2);
    expect(await kv.get('a/b')).toBeUndefined();
    // Opening again binds to the existing bucket.
    const again = await bus.openKv('test-crud', { history: 3 });
    expect(await again.keys()).toEqual([]);
  });

  it('compare-and-set: update and delete fail with kv-conflict when the revision moved', async () => {
    const kv = await bus.openKv('test-cas');
    const r1 = await kv.create('k', 1);
    await expect(kv.create('k', 2)).rejects.toMatchObject({ code: 'kv-conflict' });
    const r2 = await kv.update('k', 2, r1);
    const stale = await kv.update('k', 3, r1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(BusError);
    expect((stale as BusError).code).toBe('kv-conflict');
    await expect(kv.delete('k', { expectedRevision: r1 })).rejects.toMatchObject({ code: 'kv-conflict' });
    const d = await kv.delete('k', { expectedRevision: r2 });
    // create works again after a delete
    expect(await kv.create('k', 4)).toBeGreaterThan(d);
  });

  it('lists entries and keys', async () => {
    const kv = await bus.openKv('test-list', { history: 5 });
    await kv.put('x', 1);
    await kv.put('y', 1);
    await kv.put('y', 2);
    await kv.put('z', 1);
    await kv.delete('z');
    expect((await kv.entries()).map((e) => [e.key, e.value])).toEqual([
      ['x', 1],
      ['y', 2],
    ]);
    expect(await kv.keys()).toEqual(['x', 'y']);
  });

  it('rejects invalid keys', async () => {
    const kv = await bus.openKv('test-keys');
    await expect(kv.put('service/ns/*.example.com', 1)).rejects.toMatchObject({ code: 'invalid-request' });
  });
});

describe('watchKv', () => {
  it('reports the current state, then synced, then live updates and deletes', async () => {
    const kv = await bus.openKv('test-watch', { history: 5 });
    await kv.put('one', 1);
    await kv.put('two', 2);
    await kv.put('two', 22);
    await kv.put('gone', 0);
    await kv.delete('gone');
    const events: KvWatchEvent[] = [];
    const w = watchKv(kv, (e) => void events.push(e));
    await w.synced;
    expect(strip(events)).toEqual(['put one=1 (initial)', 'put two=22 (initial)', 'synced']);
    await kv.put('three', 3);
    await kv.delete('one');
    await kv.delete('never-existed');
    await kv.delete('two', { purge: true });
    await waitFor(() => events.length === 6);
    expect(strip(events).slice(3)).toEqual(['put three=3', 'delete one', 'delete two']);
    await w.stop();
  });

  it('signals synced on an empty bucket', async () => {
    const kv = await bus.openKv('test-watch-empty');
    const events: KvWatchEvent[] = [];
    const w = watchKv(kv, (e) => void events.push(e));
    await w.synced;
    expect(strip(events)).toEqual(['synced']);
    await kv.put('a', 1);
    await waitFor(() => events.length === 2);
    await w.stop();
  });

  it('awaits the handler: events are handled one at a time, in order', async () => {
    const kv = await bus.openKv('test-watch-order');
    for (let i = 0; i < 20; i++) await kv.put(`k${i}`, i);
    const seen: number[] = [];
    let busy = false;
    const w = watchKv(kv, async (e) => {
      expect(busy).toBe(false);
      busy = true;
      await new Promise((r) => setTimeout(r, 1));
      if (e.type === 'put') seen.push(e.value as number);
      busy = false;
    });
    await w.synced;
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await w.stop();
  });

  it('survives a server restart: changes made while it was away are reconciled', async () => {
    const kv = await bus.openKv('test-watch-restart', { history: 5 });
    await kv.put('stays', 1);
    await kv.put('changes', 1);
    await kv.put('deleted', 1);
    const events: KvWatchEvent[] = [];
    const w = watchKv(kv, (e) => void events.push(e));
    await w.synced;
    expect(events).toHaveLength(4);

    // Another client changes things while our connection is down.
    await nats.kill();
    await nats.start();
    const other = await Bus.connect({ url: nats.url });
    const okv = await other.openKv('test-watch-restart');
    await okv.put('changes', 2);
    await okv.delete('deleted');
    await okv.put('added', 1);
    await waitFor(() => events.length >= 7, { timeoutMs: 15_000 });
    expect(strip(events).slice(4).sort()).toEqual(['delete deleted', 'put added=1', 'put changes=2']);

    // And live updates keep flowing on the new watch.
    await okv.put('after', 1);
    await waitFor(() => strip(events).includes('put after=1'), { timeoutMs: 5000 });
    expect(events.filter((e) => e.type === 'synced')).toHaveLength(1);
    await other.close();
    await w.stop();
  });
});
