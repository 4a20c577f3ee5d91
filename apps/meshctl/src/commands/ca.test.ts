import { describe, expect, it } from 'vitest';
import { formatBundle, parseSeconds } from './ca';

describe('meshctl ca', () => {
  it('parses durations for the rotation flags, naming the flag on error', () => {
    expect(parseSeconds('--activation-delay', '0', true)).toBe(0);
    expect(parseSeconds('--activation-delay', '90s', true)).toBe(90);
    expect(parseSeconds('--grace-period', '48h', false)).toBe(172_800);
    expect(() => parseSeconds('--grace-period', '0s', false)).toThrow('--grace-period: "0s" is not a positive duration (like 30s, 5m, 48h)');
    expect(() => parseSeconds('--activation-delay', 'soon', true)).toThrow(/--activation-delay: "soon"/);
  });

  it('prints one root per line with its state and when it changes', () => {
    const lines = formatBundle({
      trustDomain: 'cluster.local',
      updatedAt: '2030-01-01T00:00:00.000Z',
      roots: [
        { pem: '', sha256: 'a'.repeat(64), notAfter: '2040-01-01T00:00:00.000Z', state: 'active' },
        { pem: '', sha256: 'b'.repeat(64), notAfter: '2040-01-01T00:00:00.000Z', state: 'pending', activateAt: '2030-01-01T00:01:00.000Z' },
      ],
    });
    expect(lines[0]).toBe('trust domain cluster.local, updated 2030-01-01T00:00:00.000Z');
    expect(lines[2]).toMatch(/^a{16}\s+ACTIVE\s+2040/);
    expect(lines[3]).toMatch(/^b{16}\s+PENDING\s+signs from 2030-01-01T00:01:00.000Z\s+2040/);
  });
});
