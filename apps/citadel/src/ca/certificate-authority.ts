import { certFingerprint, joinPem, type ParsedCsr, signCsr, type SubjectAltNames } from '@mizzen/pki';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { CLOCK, type Clock } from '../platform/clock';
import type { CaDir } from './ca-files';
import { advanceDue, nextStep, rotateCa } from './ca-generate';
import { type CaState, trustedRoots } from './ca-state';
import { saveCa } from './ca-store';

export const INITIAL_CA = Symbol('citadel:initial-ca');
export const CA_DIR = Symbol('citadel:ca-dir');

export interface IssueRequest {
  csr: ParsedCsr;
  /** The names the caller proved; the CSR's own names were checked against them already. */
  sans: SubjectAltNames;
  ttlMs: number;
}

export interface IssuedChain {
  /**
   * Istio ca.proto `cert_chain` order: leaf, intermediates, then the roots. With one trusted root
   * the last entry is that root; during a rotation it holds every trusted root concatenated
   * (active first), as ca.proto documents for `cert_chain` when `root_cert` is not set.
   */
  certChain: string[];
  serialNumber: string;
  notAfter: Date;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The CA: signs with the current intermediate, rotates the root (announce, then activate after the
 * activation delay, then retire the old root after its grace period, on a timer), persists every
 * change and tells listeners (the trust bundle publisher). State changes are serialized; signing
 * never waits for them.
 */
@Injectable()
export class CertificateAuthority implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CA');
  private readonly listeners = new Set<(state: CaState) => void | Promise<void>>();
  private changes: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(INITIAL_CA) private state: CaState,
    @Inject(CA_DIR) private readonly dir: CaDir,
    @Inject(CITADEL_CONFIG) private readonly config: CitadelConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduleNextStep();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  get current(): CaState {
    return this.state;
  }

  /** Every trusted root PEM, active first. */
  roots(): string[] {
    return trustedRoots(this.state);
  }

  async issue(req: IssueRequest): Promise<IssuedChain> {
    const s = this.state;
    const leaf = await signCsr({ csr: req.csr, issuer: s.signer, sans: req.sans, ttlMs: req.ttlMs, now: new Date(this.clock.now()) });
    return { certChain: [leaf.certPem, ...s.intermediates, joinPem(trustedRoots(s))], serialNumber: leaf.serialNumber, notAfter: leaf.notAfter };
  }

  /**
   * Starts a root rotation (see {@link rotateCa}): the new root is announced now and signs after
   * `activationDelayMs`; resolves with the new state once persisted and announced.
   */
  rotate(gracePeriodMs = this.config.rootGracePeriodMs, activationDelayMs = this.config.rootActivationDelayMs): Promise<CaState> {
    return this.change(async (s) => {
      const now = new Date(this.clock.now());
      const next = await rotateCa(s, { trustDomain: this.config.trustDomain, keyAlgorithm: this.config.caKeyAlgorithm, rootTtlMs: this.config.rootCertTtlMs, now, gracePeriodMs, activationDelayMs });
      if (next.pending) this.logger.log(`rotating the root: new sha256 ${certFingerprint(next.pending.rootPem)} is trusted now and signs from ${next.pending.activateAt.toISOString()}`);
      else this.logger.log(`rotated the root: new sha256 ${certFingerprint(next.rootPem)}; old ${certFingerprint(s.rootPem)} trusted until ${next.retiring[0].retireAt.toISOString()}`);
      return next;
    });
  }

  /** Runs the rotation steps that are due: activates a pending root, drops roots whose grace period is over. */
  advance(): Promise<CaState> {
    return this.change(async (s) => {
      const next = advanceDue(s, new Date(this.clock.now()));
      if (!next) return undefined;
      if (next.rootPem !== s.rootPem) this.logger.log(`the new root ${certFingerprint(next.rootPem)} signs from now on; ${certFingerprint(s.rootPem)} trusted until ${next.retiring[0].retireAt.toISOString()}`);
      const gone = s.retiring.filter((r) => !next.retiring.includes(r));
      if (gone.length) this.logger.log(`retired root(s) ${gone.map((r) => certFingerprint(r.pem)).join(', ')}: grace period over`);
      return next;
    });
  }

  onChange(listener: (state: CaState) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private change(step: (s: CaState) => Promise<CaState | undefined>): Promise<CaState> {
    const run = this.changes.then(async () => {
      const next = await step(this.state);
      if (!next) return this.state;
      await saveCa(this.dir, next);
      this.state = next;
      this.scheduleNextStep();
      for (const l of [...this.listeners]) await l(next);
      return next;
    });
    this.changes = run.catch(() => undefined);
    return run;
  }

  private scheduleNextStep(): void {
    clearTimeout(this.timer);
    const due = nextStep(this.state);
    if (!due || this.stopped) return;
    const delay = Math.min(Math.max(due.getTime() - this.clock.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.advance().then(
        () => this.scheduleNextStep(),
        (err: unknown) => this.logger.error(`root rotation step failed: ${(err as Error).message}`),
      );
    }, delay);
    this.timer.unref();
  }
}
