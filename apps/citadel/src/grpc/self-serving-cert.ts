import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { createCsr, exportPrivateKeyPem, formatWorkloadId, generateKeyPair, joinPem, parseCsr } from '@mizzen/pki';
import type { CertificateAuthority } from '../ca/certificate-authority';
import type { ServingCredentials } from './serving-credentials';

export interface ServingIdentity {
  trustDomain: string;
  namespace: string;
  grpcHost: string;
  /** Lifetime of each serving certificate. */
  ttlMs: number;
}

interface Current {
  chain: string;
  key: string;
  roots: string;
  rootPem: string;
  notBefore: number;
  notAfter: number;
}

/**
 * The CSR server's TLS certificate, issued by Citadel's own CA (like istiod's DNS certificate):
 * SPIFFE ID `spiffe://<td>/ns/<ns>/sa/citadel`, DNS `citadel.<ns>[.svc[.<td>]]` and `localhost`, and the
 * listen address when it is an IP, so agents verify it against the mesh root with the address
 * they dial. Re-issued at half-life and as soon as the active root changes (a rotation's
 * activation), through a grpc-js CertificateProvider: new handshakes get the new certificate,
 * open connections stay up. The key never leaves the process.
 */
export class SelfServingCertificate implements ServingCredentials, grpc.experimental.CertificateProvider {
  readonly describe: string;
  private current?: Current;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private readonly caListeners = new Set<grpc.experimental.CaCertificateUpdateListener>();
  private readonly idListeners = new Set<grpc.experimental.IdentityCertificateUpdateListener>();

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly id: ServingIdentity,
    private readonly log: (msg: string) => void,
  ) {
    this.describe = `TLS as ${this.spiffeId}`;
  }

  get spiffeId(): string {
    return formatWorkloadId({ trustDomain: this.id.trustDomain, namespace: this.id.namespace, serviceAccount: 'citadel' });
  }

  async start(): Promise<void> {
    await this.issue();
    this.unsubscribe = this.ca.onChange((s) => {
      if (this.current && s.rootPem !== this.current.rootPem) return this.issue().catch((e: unknown) => this.log(`re-issuing the serving certificate failed: ${(e as Error).message}`));
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
  }

  server(): grpc.ServerCredentials {
    return grpc.experimental.createCertificateProviderServerCredentials(this, this, false);
  }

  private async issue(): Promise<void> {
    const key = await generateKeyPair('ECDSA-P256');
    const host = this.id.grpcHost;
    const svc = `citadel.${this.id.namespace}`;
    const sans = { uris: [this.spiffeId], dnsNames: [svc, `${svc}.svc`, `${svc}.svc.${this.id.trustDomain}`, 'localhost'], ipAddresses: isIP(host) && !['0.0.0.0', '::'].includes(host) ? [host] : [] };
    const parsed = await parseCsr(await createCsr(key, sans));
    if (!parsed.ok) throw new Error(`own CSR: ${parsed.errors.map((e) => e.message).join('; ')}`);
    const rootPem = this.ca.current.rootPem;
    const issued = await this.ca.issue({ csr: parsed.value, sans, ttlMs: this.id.ttlMs });
    const [leaf, ...rest] = issued.certChain;
    const c: Current = {
      chain: joinPem([leaf, ...rest.slice(0, -1)]),
      key: await exportPrivateKeyPem(key),
      roots: rest[rest.length - 1],
      rootPem,
      notBefore: Date.now(),
      notAfter: issued.notAfter.getTime(),
    };
    this.current = c;
    for (const l of this.caListeners) l({ caCertificate: Buffer.from(c.roots) });
    for (const l of this.idListeners) l({ certificate: Buffer.from(c.chain), privateKey: Buffer.from(c.key) });
    const renewIn = Math.max(1000, (c.notAfter - c.notBefore) / 2);
    this.log(`serving certificate ${issued.serialNumber} for ${this.spiffeId} valid until ${issued.notAfter.toISOString()}; renewal in ${Math.round(renewIn / 1000)} s`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.issue().catch((e: unknown) => this.log(`serving certificate renewal failed: ${(e as Error).message}`)), Math.min(renewIn, 2 ** 31 - 1));
    this.timer.unref();
  }

  addCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(l);
    const c = this.current;
    // Asynchronously, as grpc-js registers its watcher only after adding the listener.
    if (c) queueMicrotask(() => this.caListeners.has(l) && l({ caCertificate: Buffer.from(c.roots) }));
  }

  removeCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(l);
  }

  addIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.idListeners.add(l);
    const c = this.current;
    if (c) queueMicrotask(() => this.idListeners.has(l) && l({ certificate: Buffer.from(c.chain), privateKey: Buffer.from(c.key) }));
  }

  removeIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.idListeners.delete(l);
  }
}
