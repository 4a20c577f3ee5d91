import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import { createCsr, exportPrivateKeyPem, formatWorkloadId, generateKeyPair } from '@mizzen/pki/workload';
import { ROOT_SECRET, type SecretStore, WORKLOAD_SECRET } from '../../tls/secret-store';
import { CaServiceClient, type CaTransport } from './ca-service';
import { acceptIssuedChain } from './issued-chain';
import { MeshTrust } from './mesh-trust';
import { renewalDelayMs, retryDelayMs } from './renewal';

export interface CertAgentOptions {
  /** Citadel's `host:port` (Istio's CA_ADDR). */
  caAddr: string;
  /** File holding the bearer token; read again for every request (tokens rotate). */
  tokenFile: string;
  transport?: CaTransport;
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
  /** Requested lifetime (`validity_duration`); 0 lets the CA choose. */
  certTtlMs: number;
}

export interface CertAgentDeps {
  secrets: SecretStore;
  /** Where the CA's roots go (ROOTCA, merged with PCDS anchors); one of its own by default. */
  trust?: MeshTrust;
  log: (msg: string) => void;
  now?: () => number;
  rng?: () => number;
}

export type CertAgentStatus = 'starting' | 'valid' | 'renewing' | 'expired' | 'stopped';

/** What `/certs` and `/server_info` show of the agent. */
export interface CertAgentState {
  identity: string;
  caAddr: string;
  status: CertAgentStatus;
  serialNumber?: string;
  notBefore?: string;
  notAfter?: string;
  nextAttemptAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  consecutiveFailures: number;
  issued: number;
}

/** setTimeout's ceiling (~24.8 days): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The certificate agent (istio-agent's SDS side): generates an ECDSA P-256 key in memory (it never
 * leaves the process), sends a CSR for `spiffe://<td>/ns/<ns>/sa/<sa>` to Citadel's
 * CreateCertificate with the bearer token, checks the answer, and publishes `default` (chain +
 * key) and `ROOTCA` (every root returned, plus Pilot's PCDS anchors: {@link MeshTrust}) in the
 * secret store. A new key and certificate are requested at half-life (±10 % jitter); failures
 * retry with exponential back-off while the current certificate keeps serving, even past its
 * expiry (peers then refuse it: logged).
 */
export class CertAgent extends EventEmitter<{ issued: [serialNumber: string] }> {
  readonly identity: string;
  private readonly client: CaServiceClient;
  private readonly now: () => number;
  private readonly rng: () => number;
  private readonly trust: MeshTrust;
  private timer?: NodeJS.Timeout;
  private firstIssued?: { resolve(): void; promise: Promise<void> };
  private s: Omit<CertAgentState, 'identity' | 'caAddr'> = { status: 'starting', consecutiveFailures: 0, issued: 0 };
  private inflight?: Promise<boolean>;

  constructor(
    readonly options: CertAgentOptions,
    private readonly deps: CertAgentDeps,
  ) {
    super();
    this.identity = formatWorkloadId({ trustDomain: options.trustDomain, namespace: options.namespace, serviceAccount: options.serviceAccount });
    this.client = new CaServiceClient(options.caAddr, options.transport, () => deps.secrets.validation(ROOT_SECRET)?.trustedCa);
    this.now = deps.now ?? Date.now;
    this.rng = deps.rng ?? Math.random;
    this.trust = deps.trust ?? new MeshTrust(deps.secrets);
  }

  /** Starts requesting; resolves once the first certificate is in the secret store (or on stop). */
  start(): Promise<void> {
    if (!this.firstIssued) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.firstIssued = { resolve, promise };
      void this.attempt();
    }
    return this.firstIssued.promise;
  }

  stop(): void {
    this.s.status = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    this.client.close();
    this.firstIssued?.resolve();
  }

  state(): CertAgentState {
    const cert = this.deps.secrets.certificate(WORKLOAD_SECRET);
    const expired = cert && Date.parse(cert.leaf.expirationTime) <= this.now();
    return { identity: this.identity, caAddr: this.options.caAddr, ...this.s, status: expired && this.s.status !== 'stopped' ? 'expired' : this.s.status };
  }

  /** Requests a certificate now (one at a time); true when a new one was installed. */
  renewNow(): Promise<boolean> {
    clearTimeout(this.timer);
    return this.attempt();
  }

  private attempt(): Promise<boolean> {
    this.inflight ??= this.request().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async request(): Promise<boolean> {
    if (this.stopped()) return false;
    if (this.s.issued) this.s.status = 'renewing';
    let error: string | undefined;
    try {
      error = await this.requestOnce();
    } catch (err) {
      error = (err as Error).message;
    }
    // stop() may have run while the request was in flight.
    if (this.stopped()) return false;
    if (error === undefined) return true;
    this.s.consecutiveFailures++;
    this.s.lastError = error;
    this.s.status = this.s.issued ? 'valid' : 'starting';
    const delay = retryDelayMs(this.s.consecutiveFailures, this.rng);
    // A proxy waiting for Citadel should not flood its log: first failure, then every 10th.
    if (this.s.consecutiveFailures === 1 || this.s.consecutiveFailures % 10 === 0) {
      const keep = this.s.issued ? `; keeping certificate ${this.s.serialNumber} (expires ${this.s.notAfter})` : '';
      this.deps.log(`certificate request for ${this.identity} to ${this.options.caAddr} failed (${error}); retrying in ${Math.round(delay / 1000)}s${keep}`);
    }
    this.schedule(delay);
    return false;
  }

  /** One CSR round trip; returns the reason it failed, or undefined when the new certificate is installed. */
  private async requestOnce(): Promise<string | undefined> {
    const token = (await fs.readFile(this.options.tokenFile, 'utf8')).trim();
    if (!token) return `token file ${this.options.tokenFile} is empty`;
    const key = await generateKeyPair('ECDSA-P256');
    const csr = await createCsr(key, { uris: [this.identity] });
    const privateKey = await exportPrivateKeyPem(key);
    const res = await this.client.createCertificate(csr, token, Math.round(this.options.certTtlMs / 1000));
    if (!res.ok) return res.message;
    if (this.stopped()) return 'stopped';
    const accepted = acceptIssuedChain(res.chain, privateKey, this.identity, new Date(this.now()));
    if (!accepted.ok) return accepted.error;
    const c = accepted.value;
    // Roots first: a peer's certificate from a new root must verify before ours is presented.
    this.trust.setCaRoots(c.roots);
    this.deps.secrets.setCertificate(WORKLOAD_SECRET, c.certificateChain, privateKey);
    const renewIn = renewalDelayMs(c.notBefore, c.notAfter, this.now(), this.rng);
    this.s = {
      status: 'valid',
      serialNumber: c.serialNumber,
      notBefore: new Date(c.notBefore).toISOString(),
      notAfter: new Date(c.notAfter).toISOString(),
      lastSuccessAt: new Date(this.now()).toISOString(),
      consecutiveFailures: 0,
      issued: this.s.issued + 1,
    };
    this.deps.log(`certificate ${c.serialNumber} issued for ${this.identity}, valid until ${this.s.notAfter}; ${c.roots.length} trusted root(s); renewing in ${Math.round(renewIn / 1000)}s`);
    this.schedule(renewIn);
    this.emit('issued', c.serialNumber);
    this.firstIssued?.resolve();
    return undefined;
  }

  private stopped(): boolean {
    return this.s.status === 'stopped';
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    const due = this.now() + delayMs;
    this.s.nextAttemptAt = new Date(due).toISOString();
    const wait = (): void => {
      const left = due - this.now();
      if (left > MAX_TIMER_MS) this.timer = setTimeout(wait, MAX_TIMER_MS);
      else this.timer = setTimeout(() => void this.attempt(), Math.max(0, left));
      this.timer.unref();
    };
    wait();
  }
}
