import type { Service } from '@mizzen/mesh-model';
import { describe, expect, it } from 'vitest';
import { RegistryClaims } from './claims';

const svc = (name: string): Service => ({
  hostname: 'h.example.com',
  namespace: 'ns',
  ports: [],
  resolution: 'NONE',
  location: 'MESH_EXTERNAL',
  source: { kind: 'ServiceEntry', namespace: 'ns', name },
});

describe('RegistryClaims', () => {
  it('the oldest claim wins and the next takes over when it goes', () => {
    const c = new RegistryClaims();
    expect(c.set('ServiceEntry/ns/b', '2024-01-02T00:00:00Z', [{ key: 'k', record: svc('b') }])).toEqual(['k']);
    c.set('ServiceEntry/ns/a', '2024-01-03T00:00:00Z', [{ key: 'k', record: svc('a') }]);
    expect(c.winner('k')?.configKey).toBe('ServiceEntry/ns/b');
    expect(c.losers('k')).toEqual(['ServiceEntry/ns/a']);
    expect(c.remove('ServiceEntry/ns/b')).toEqual(['k']);
    expect(c.winner('k')?.configKey).toBe('ServiceEntry/ns/a');
    c.remove('ServiceEntry/ns/a');
    expect(c.winner('k')).toBeUndefined();
    expect(c.has('k')).toBe(false);
  });

  it('breaks ties by config key', () => {
    const c = new RegistryClaims();
    c.set('ServiceEntry/ns/z', 't', [{ key: 'k', record: svc('z') }]);
    c.set('ServiceEntry/ns/m', 't', [{ key: 'k', record: svc('m') }]);
    expect(c.winner('k')?.configKey).toBe('ServiceEntry/ns/m');
  });

  it('reports keys a config stopped deriving as affected', () => {
    const c = new RegistryClaims();
    c.set('ServiceEntry/ns/a', 't', [
      { key: 'k1', record: svc('a') },
      { key: 'k2', record: svc('a') },
    ]);
    expect(c.set('ServiceEntry/ns/a', 't', [{ key: 'k2', record: svc('a') }])).toEqual(['k1', 'k2']);
    expect(c.has('k1')).toBe(false);
  });
});
