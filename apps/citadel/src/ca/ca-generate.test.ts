import { describe, expect, it } from 'vitest';
import { generateCa, nextRetirement, retireDue, rotateCa } from './ca-generate';

const opts = { trustDomain: 'cluster.local', keyAlgorithm: 'ECDSA-P256' as const, rootTtlMs: 86_400_000, now: new Date('2030-01-01T00:00:00Z') };

describe('rotation steps', () => {
  it('rotation keeps the old root until now + grace; retirement drops it only when due', async () => {
    const first = await generateCa(opts);
    const rotated = await rotateCa(first, { ...opts, gracePeriodMs: 3_600_000 });
    expect(rotated.rootPem).not.toBe(first.rootPem);
    expect(rotated.signer.certPem).not.toBe(first.signer.certPem);
    expect(rotated.retiring).toEqual([{ pem: first.rootPem, retireAt: new Date('2030-01-01T01:00:00Z') }]);
    expect(nextRetirement(rotated)).toEqual(new Date('2030-01-01T01:00:00Z'));
    expect(retireDue(rotated, new Date('2030-01-01T00:59:59Z'))).toBeUndefined();
    expect(retireDue(rotated, new Date('2030-01-01T01:00:00Z'))?.retiring).toEqual([]);
  });

  it('a plugged-in CA cannot rotate', async () => {
    const ca = { ...(await generateCa(opts)), mode: 'plugged-in' as const };
    await expect(rotateCa(ca, { ...opts, gracePeriodMs: 1 })).rejects.toThrow(/plugged in/);
  });
});
