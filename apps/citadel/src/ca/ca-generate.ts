import { createIntermediateCa, createRootCa, type KeyAlgorithmName } from '@mizzen/pki';
import type { CaHierarchy, CaState, RetiringRoot } from './ca-state';

export interface GenerateCaOptions {
  trustDomain: string;
  keyAlgorithm: KeyAlgorithmName;
  rootTtlMs: number;
  now: Date;
}

export interface RotateOptions extends GenerateCaOptions {
  /** How long the outgoing root stays trusted once the new one signs. */
  gracePeriodMs: number;
  /** How long the new root is only trusted (announced) before it signs; 0 = at once. */
  activationDelayMs: number;
}

/**
 * A fresh self-signed hierarchy: a root (O=<trust domain>, like Istio's self-signed CA) and an
 * intermediate that signs workloads, so the root key is used only to make intermediates.
 */
async function generateHierarchy(o: GenerateCaOptions): Promise<CaHierarchy & { root: NonNullable<CaHierarchy['root']> }> {
  const stamp = o.now.toISOString().slice(0, 10);
  const root = await createRootCa({ subject: { organization: o.trustDomain, commonName: `Mizzen Root CA ${stamp}` }, key: o.keyAlgorithm, ttlMs: o.rootTtlMs, now: o.now });
  const signer = await createIntermediateCa({
    issuer: root,
    subject: { organization: o.trustDomain, commonName: `Mizzen Intermediate CA ${stamp}` },
    key: o.keyAlgorithm,
    ttlMs: o.rootTtlMs,
    now: o.now,
  });
  return { rootPem: root.certPem, root, signer, intermediates: [signer.certPem] };
}

/** A new self-signed CA (first start). */
export async function generateCa(o: GenerateCaOptions, retiring: RetiringRoot[] = []): Promise<CaState> {
  return { mode: 'self-signed', ...(await generateHierarchy(o)), retiring };
}

/**
 * Root rotation, step one: a new hierarchy is announced (trusted, in the bundle) and signs from
 * `now + activationDelay`; with no delay it signs at once (step two runs immediately). The delay
 * is what makes a rotation free of failed handshakes: every proxy receives the new root (Pilot
 * pushes the bundle) before any peer presents a certificate under it.
 */
export async function rotateCa(state: CaState, o: RotateOptions): Promise<CaState> {
  if (state.mode !== 'self-signed') throw new Error('the CA is plugged in (no root-key.pem): rotate its root by replacing the cacerts files');
  if (state.pending) throw new Error(`a rotation is already under way: the new root signs from ${state.pending.activateAt.toISOString()}`);
  const pending = { ...(await generateHierarchy(o)), activateAt: new Date(o.now.getTime() + Math.max(0, o.activationDelayMs)), gracePeriodMs: o.gracePeriodMs };
  const next = { ...state, pending };
  return o.activationDelayMs > 0 ? next : (activateDue(next, o.now) ?? next);
}

/**
 * Root rotation, step two: the pending hierarchy becomes the active one once due; the outgoing
 * root stays trusted until `activateAt + gracePeriod` (its last certificate was issued before
 * `activateAt`, even when Citadel was down then). Undefined when nothing is due.
 */
export function activateDue(state: CaState, now: Date): CaState | undefined {
  const p = state.pending;
  if (!p || p.activateAt.getTime() > now.getTime()) return undefined;
  const retireAt = new Date(p.activateAt.getTime() + p.gracePeriodMs);
  return { mode: state.mode, rootPem: p.rootPem, root: p.root, signer: p.signer, intermediates: p.intermediates, retiring: [{ pem: state.rootPem, retireAt }, ...state.retiring] };
}

/** Root rotation, step three: drops roots whose grace period is over; undefined when none is due. */
export function retireDue(state: CaState, now: Date): CaState | undefined {
  const keep = state.retiring.filter((r) => r.retireAt.getTime() > now.getTime());
  return keep.length === state.retiring.length ? undefined : { ...state, retiring: keep };
}

/** Runs every rotation step that is due at `now`; undefined when none is. */
export function advanceDue(state: CaState, now: Date): CaState | undefined {
  const activated = activateDue(state, now);
  const retired = retireDue(activated ?? state, now);
  return retired ?? activated;
}

/** When the next rotation step is due (activation or retirement), if any. */
export function nextStep(state: CaState): Date | undefined {
  const times = [...(state.pending ? [state.pending.activateAt.getTime()] : []), ...state.retiring.map((r) => r.retireAt.getTime())];
  return times.length ? new Date(Math.min(...times)) : undefined;
}
