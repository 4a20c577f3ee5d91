import { describe, expect, it } from 'vitest';
import { ConfigBucket, RegistryBucket } from './index';

describe('KV keys', () => {
  it('round-trips config keys, names with dots included', () => {
    const key = ConfigBucket.key('VirtualService', 'default', 'reviews.v1');
    expect(key).toBe('VirtualService/default/reviews.v1');
    expect(ConfigBucket.parseKey(key)).toEqual({ kind: 'VirtualService', namespace: 'default', name: 'reviews.v1' });
    expect(ConfigBucket.parseKey('VirtualService/default')).toBeUndefined();
  });

  it('spells wildcard hosts without `*`, which NATS keys cannot hold', () => {
    const key = RegistryBucket.serviceKey('default', '*.example.com');
    expect(key).toBe('service/default/_.example.com');
    expect(key).not.toContain('*');
    expect(RegistryBucket.parseKey(key)).toEqual({ type: 'service', namespace: 'default', name: '_.example.com' });
    expect(RegistryBucket.parseKey('other/default/x')).toBeUndefined();
  });

  it('validates registry values with field paths', () => {
    const r = RegistryBucket.workload({ name: 'w', namespace: 'default', address: '', labels: {}, serviceAccount: 'sa', source: { kind: 'Registration', namespace: 'default', name: 'w' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].path).toBe('address');
  });
});
