import { BusError, type KvValue } from '@mizzen/bus';
import { describe, expect, it } from 'vitest';
import { validateDocuments } from '../ingest/validate-documents';
import { configApiValidator } from '../validation/config-api.validator';
import { type ConfigKv, ConfigStore } from './config-store.service';

/** An in-memory bucket with JetStream KV's compare-and-set rules; counts reads. */
class MemoryKv implements ConfigKv {
  private rev = 0;
  readonly data = new Map<string, { value: unknown; revision: number }>();
  gets = 0;
  keyListings = 0;

  async get(key: string): Promise<KvValue | undefined> {
    this.gets++;
    const e = this.data.get(key);
    return e && { key, value: e.value, revision: e.revision, created: new Date(0) };
  }
  async create(key: string, value: unknown): Promise<number> {
    if (this.data.has(key)) throw new BusError('kv-conflict', `${key} exists`);
    return this.set(key, value);
  }
  async update(key: string, value: unknown, expectedRevision: number): Promise<number> {
    if (this.data.get(key)?.revision !== expectedRevision) throw new BusError('kv-conflict', `${key} moved`);
    return this.set(key, value);
  }
  async delete(key: string): Promise<number> {
    this.data.delete(key);
    return ++this.rev;
  }
  async keys(): Promise<string[]> {
    this.keyListings++;
    return [...this.data.keys()].sort();
  }
  async entries(): Promise<KvValue[]> {
    return [...this.data].map(([key, e]) => ({ key, value: e.value, revision: e.revision, created: new Date(0) }));
  }
  set(key: string, value: unknown): number {
    this.data.set(key, { value, revision: ++this.rev });
    return this.rev;
  }
}

const se = (name: string, host = `${name}.example.com`) =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${name}}\nspec:\n  hosts: [${host}]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: DNS\n`;
const resources = (names: string[]) => validateDocuments(names.map((n) => se(n)).join('---\n'), 'default', configApiValidator).valid;
const names = (n: number) => Array.from({ length: n }, (_, i) => `se-${i}`);
const clock = { now: () => Date.parse('2024-05-01T00:00:00Z') };

describe('ConfigStore batches', () => {
  it('plans a large batch from one key listing, reading only the keys that exist', async () => {
    const kv = new MemoryKv();
    const store = new ConfigStore(kv, clock);
    const first = resources(names(40));
    for (const [i, p] of (await store.plan(first, 'api')).entries()) await store.commitPlanned(first[i], p, 'api');
    expect(kv.data.size).toBe(40);
    kv.gets = 0;
    const again = resources(names(50));
    const plans = await store.plan(again, 'api');
    expect(kv.keyListings).toBe(2);
    expect(kv.gets).toBe(40); // the 10 new ones are known absent from the listing
    expect(plans.map((p) => p.action)).toEqual([...Array(40).fill('none'), ...Array(10).fill('create')]);
  });

  it('re-plans a write whose key moved after planning: a key another writer created is updated, or refused if a file owns it', async () => {
    const kv = new MemoryKv();
    const store = new ConfigStore(kv, clock);
    const batch = resources(names(40));
    const plans = await store.plan(batch, 'api');
    expect(plans[0].action).toBe('create');
    // Two other writers get there between planning and committing.
    const other = await new ConfigStore(kv, clock).plan(resources(['se-0']), 'meshctl');
    await new ConfigStore(kv, clock).commitPlanned(resources(['se-0'])[0], other[0], 'meshctl');
    const fileOwned = await new ConfigStore(kv, clock).plan(resources(['se-1']), 'file:x.yaml');
    await new ConfigStore(kv, clock).commitPlanned(resources(['se-1'])[0], fileOwned[0], 'file:x.yaml');
    const a = await store.commitPlanned(batch[0], plans[0], 'api');
    const b = await store.commitPlanned(batch[1], plans[1], 'api');
    expect(a.plan).toMatchObject({ action: 'update', outcome: 'configured' }); // re-planned against the other write
    expect((kv.data.get('ServiceEntry/default/se-0')?.value as { source: string }).source).toBe('api');
    expect(b.plan).toMatchObject({ action: 'conflict', owner: 'file:x.yaml' });
    expect((kv.data.get('ServiceEntry/default/se-1')?.value as { source: string }).source).toBe('file:x.yaml');
  });
});
