import { createIntermediateCa, createRootCa, type KeyAlgorithmName } from '@mizzen/pki';
import type { CaState, RetiringRoot } from './ca-state';

export interface GenerateCaOptions {
  trustDomain: string;
  keyAlgorithm: KeyAlgorithmName;
  rootTtlMs: number;
  now: Date;
}

/**
 * A fresh self-signed hierarchy: a root (O=<trust domain>, like Istio's self-signed CA) and an
 * intermediate that signs workloads, so the root key is used only to make intermediates.
 */
export async function generateCa(o: GenerateCaOptions, retiring: RetiringRoot[] = []): Promise<CaState> {
  const stamp = o.now.toISOString().slice(0, 10);
  const root = await createRootCa({ subject: { organization: o.trustDomain, commonName: `Mizzen Root CA ${stamp}` }, key: o.keyAlgorithm, ttlMs: o.rootTtlMs, now: o.now });
  const signer = await createIntermediateCa({
    issuer: root,
    subject: { organization: o.trustDomain, commonName: `Mizzen Intermediate CA ${stamp}` },
    key: o.keyAlgorithm,
    ttlMs: o.rootTtlMs,
    now: o.now,
  });
  return { mode: 'self-signed', rootPem: root.certPem, root, signer, intermediates: [signer.certPem], retiring };
}

/**
 * Root rotation, step one: a new hierarchy signs from now on; the old root stays trusted (in the
 * bundle) until `now + gracePeriod`, so certificates it issued keep verifying until they expire.
 */
export async function rotateCa(state: CaState, o: GenerateCaOptions & { gracePeriodMs: number }): Promise<CaState> {
  if (state.mode !== 'self-signed') throw new Error('the CA is plugged in (no root-key.pem): rotate its root by replacing the cacerts files');
  const retireAt = new Date(o.now.getTime() + o.gracePeriodMs);
  return generateCa(o, [{ pem: state.rootPem, retireAt }, ...state.retiring]);
}

/** Root rotation, step two: drops roots whose grace period is over; undefined when none is due. */
export function retireDue(state: CaState, now: Date): CaState | undefined {
  const keep = state.retiring.filter((r) => r.retireAt.getTime() > now.getTime());
  return keep.length === state.retiring.length ? undefined : { ...state, retiring: keep };
}

/** When the next retiring root is due, if any. */
export function nextRetirement(state: CaState): Date | undefined {
  const times = state.retiring.map((r) => r.retireAt.getTime());
  return times.length ? new Date(Math.min(...times)) : undefined;
}
