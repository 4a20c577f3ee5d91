import { describe, expect, it } from 'vitest';
import { advanceDue, generateCa, nextStep, retireDue, rotateCa } from './ca-generate';
import { trustedRoots } from './ca-state';

const opts = { trustDomain: 'cluster.local', keyAlgorithm: 'ECDSA-P256' as const, rootTtlMs: 86_400_000, now: new Date('2030-01-01T00:00:00Z') };
const at = (iso: string) => new Date(`2030-01-01T${iso}Z`);

describe('rotation steps', () => {
  it('without an activation delay the new root signs at once; the old one is kept until now + grace', async () => {
    const first = await generateCa(opts);
    const rotated = await rotateCa(first, { ...opts, gracePeriodMs: 3_600_000, activationDelayMs: 0 });
    expect(rotated.pending).toBeUndefined();
    expect(rotated.rootPem).not.toBe(first.rootPem);
    expect(rotated.signer.certPem).not.toBe(first.signer.certPem);
    expect(rotated.retiring).toEqual([{ pem: first.rootPem, retireAt: at('01:00:00') }]);
    expect(nextStep(rotated)).toEqual(at('01:00:00'));
    expect(retireDue(rotated, at('00:59:59'))).toBeUndefined();
    expect(retireDue(rotated, at('01:00:00'))?.retiring).toEqual([]);
  });

  it('with an activation delay the new root is trusted first, signs at activateAt, and the grace period starts then', async () => {
    const first = await generateCa(opts);
    const rotated = await rotateCa(first, { ...opts, gracePeriodMs: 3_600_000, activationDelayMs: 60_000 });
    // Step one: announced, not signing.
    expect(rotated.signer).toBe(first.signer);
    expect(rotated.pending?.activateAt).toEqual(at('00:01:00'));
    expect(trustedRoots(rotated)).toEqual([first.rootPem, rotated.pending?.rootPem]);
    expect(nextStep(rotated)).toEqual(at('00:01:00'));
    expect(advanceDue(rotated, at('00:00:59'))).toBeUndefined();
    // Step two: the pending hierarchy signs; the old root is retiring for the grace period.
    const active = advanceDue(rotated, at('00:01:00'));
    expect(active?.pending).toBeUndefined();
    expect(active?.rootPem).toBe(rotated.pending?.rootPem);
    expect(active?.signer).toBe(rotated.pending?.signer);
    expect(active?.retiring).toEqual([{ pem: first.rootPem, retireAt: at('01:01:00') }]);
    // Step three.
    expect(advanceDue(active!, at('01:01:00'))?.retiring).toEqual([]);
    // All steps at once when a restart finds everything due.
    expect(advanceDue(rotated, at('02:00:00'))).toMatchObject({ rootPem: rotated.pending?.rootPem, retiring: [] });
  });

  it('refuses a second rotation while one is pending, and any rotation of a plugged-in CA', async () => {
    const first = await generateCa(opts);
    const rotated = await rotateCa(first, { ...opts, gracePeriodMs: 1, activationDelayMs: 60_000 });
    await expect(rotateCa(rotated, { ...opts, gracePeriodMs: 1, activationDelayMs: 0 })).rejects.toThrow(/already under way/);
    const ca = { ...first, mode: 'plugged-in' as const };
    await expect(rotateCa(ca, { ...opts, gracePeriodMs: 1, activationDelayMs: 0 })).rejects.toThrow(/plugged in/);
  });
});
