import { certFingerprint } from '@mizzen/pki';
import type { CitadelConfig } from '../platform/citadel-config';
import type { CaDir } from './ca-files';
import { advanceDue, generateCa, rotateCa } from './ca-generate';
import type { CaState } from './ca-state';
import { hasCa, loadCa, saveCa } from './ca-store';

export type CaLog = (message: string) => void;

/**
 * Start-up: load the CA directory, or create and persist a self-signed hierarchy when it holds no
 * CA; then, with `--rotate-root`, start a rotation; then run rotation steps already due (activate
 * a pending root, drop retired ones).
 */
export async function openCa(config: CitadelConfig, dir: CaDir, now: Date, log: CaLog): Promise<CaState> {
  const gen = { trustDomain: config.trustDomain, keyAlgorithm: config.caKeyAlgorithm, rootTtlMs: config.rootCertTtlMs, now };
  let state: CaState;
  if (await hasCa(dir)) {
    state = await loadCa(dir, now);
    log(`loaded ${state.mode} CA from ${dir.dir}: root sha256 ${certFingerprint(state.rootPem)}${state.retiring.length ? `, ${state.retiring.length} retiring root(s)` : ''}`);
  } else {
    state = await generateCa(gen);
    await saveCa(dir, state);
    log(`created a self-signed root in ${dir.dir}: sha256 ${certFingerprint(state.rootPem)}`);
  }
  if (config.rotateRoot) {
    const old = certFingerprint(state.rootPem);
    state = await rotateCa(state, { ...gen, gracePeriodMs: config.rootGracePeriodMs, activationDelayMs: config.rootActivationDelayMs });
    await saveCa(dir, state);
    if (state.pending) log(`rotating the root (--rotate-root): new sha256 ${certFingerprint(state.pending.rootPem)} trusted now, signs from ${state.pending.activateAt.toISOString()}`);
    else log(`rotated the root (--rotate-root): new sha256 ${certFingerprint(state.rootPem)}, old ${old} trusted until ${state.retiring[0].retireAt.toISOString()}`);
  }
  const advanced = advanceDue(state, now);
  if (advanced) {
    await saveCa(dir, advanced);
    log(`rotation steps due at start: active root sha256 ${certFingerprint(advanced.rootPem)}, ${advanced.retiring.length} retiring root(s)`);
    state = advanced;
  }
  return state;
}
