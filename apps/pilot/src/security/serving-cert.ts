import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Bus } from '@mizzen/bus';
import { CitadelSign, type SignReply, type SignRequest } from '@mizzen/contracts';
import { createCsr, exportPrivateKeyPem, generateKeyPair } from '@mizzen/pki';

/** Where Pilot's serving certificate comes from: Citadel's `mizzen.citadel.sign.v1` over NATS. */
export interface SignClient {
  sign(req: SignRequest): Promise<SignReply>;
}

export interface ServingIdentity {
  trustDomain: string;
  /** Citadel's control-plane namespace (`mizzen-system`): Citadel signs SPIFFE IDs only there. */
  namespace: string;
  /** Service account in the SPIFFE ID: `spiffe://<td>/ns/<namespace>/sa/pilot`. */
  serviceAccount: string;
  /** Extra names the certificate carries (the xDS host, `pilot.<ns>.svc`). */
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

export const pilotSpiffeId = (id: ServingIdentity): string => `spiffe://${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`;

interface Issued {
  certChain: string;
  privateKey: string;
  trustBundle: string;
  notAfter: Date;
  notBefore: Date;
}

/**
 * Pilot's xDS serving certificate (Istio: istiod's DNS cert from its own CA). The key is generated
 * here and never leaves the process; Citadel certifies the CSR. The certificate is renewed at half
 * its life (with retries every `retryMs` while Citadel is away), and renewals reach the gRPC server
 * through a grpc-js CertificateProvider, so new handshakes use the new certificate and open streams
 * stay up.
 */
export class ServingCertificate implements grpc.experimental.CertificateProvider {
  private current?: Issued;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly caListeners = new Set<grpc.experimental.CaCertificateUpdateListener>();
  private readonly idListeners = new Set<grpc.experimental.IdentityCertificateUpdateListener>();

  constructor(
    private readonly client: SignClient,
    private readonly identity: ServingIdentity,
    private readonly requester: string,
    private readonly log: (msg: string) => void,
    private readonly retryMs = 2000,
  ) {}

  /** Obtains the first certificate, retrying until Citadel answers or `timeoutMs` passes. */
  async start(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.install(await this.issue());
        return;
      } catch (e) {
        if (Date.now() + this.retryMs > deadline) throw new Error(`no serving certificate from Citadel: ${(e as Error).message}`);
        this.log(`serving certificate: ${(e as Error).message}; retrying in ${this.retryMs} ms`);
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }

  /** Re-issues the certificate now (the active root changed); failures retry like a renewal. */
  renewNow(): Promise<void> {
    clearTimeout(this.timer);
    return this.renew();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Server credentials that follow renewals. Mutual TLS: a client must present a certificate that
   * chains to the mesh trust bundle (an agent-backed proxy presents its workload certificate), so
   * the stream's SPIFFE identity can be trusted (ProxyNode.peerIdentity: who may read gateway
   * credentials). Proxies without an agent use the plaintext port and get no identity.
   */
  credentials(): grpc.ServerCredentials {
    return grpc.experimental.createCertificateProviderServerCredentials(this, this, true);
  }

  get spiffeId(): string {
    return pilotSpiffeId(this.identity);
  }

  get notAfter(): Date | undefined {
    return this.current?.notAfter;
  }

  private async issue(): Promise<Issued> {
    const key = await generateKeyPair('ECDSA-P256');
    const csr = await createCsr(key, { uris: [this.spiffeId], dnsNames: this.identity.dnsNames, ipAddresses: this.identity.ipAddresses });
    const reply = await this.client.sign({ csr, requester: this.requester });
    const [leaf] = reply.certChain;
    const cert = new X509Certificate(leaf);
    return {
      certChain: reply.certChain.slice(0, -1).join('\n'),
      privateKey: await exportPrivateKeyPem(key),
      trustBundle: reply.trustBundle.join('\n'),
      notAfter: new Date(cert.validTo),
      notBefore: new Date(cert.validFrom),
    };
  }

  private install(issued: Issued): void {
    this.current = issued;
    for (const l of this.caListeners) l({ caCertificate: Buffer.from(issued.trustBundle) });
    for (const l of this.idListeners) l({ certificate: Buffer.from(issued.certChain), privateKey: Buffer.from(issued.privateKey) });
    const half = (issued.notAfter.getTime() - issued.notBefore.getTime()) / 2;
    const at = Math.max(1000, issued.notBefore.getTime() + half - Date.now());
    this.log(`serving certificate ${this.spiffeId} valid until ${issued.notAfter.toISOString()}; renewal in ${Math.round(at / 1000)} s`);
    this.schedule(at);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.renew(), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      this.install(await this.issue());
    } catch (e) {
      // Keep serving with the current certificate; try again soon.
      this.log(`serving certificate renewal failed: ${(e as Error).message}; retrying in ${this.retryMs} ms`);
      this.schedule(this.retryMs);
    }
  }

  addCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(l);
    const c = this.current;
    // Asynchronously, as grpc-js registers its watcher only after adding the listener.
    if (c) queueMicrotask(() => this.caListeners.has(l) && l({ caCertificate: Buffer.from(c.trustBundle) }));
  }

  removeCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(l);
  }

  addIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.idListeners.add(l);
    const c = this.current;
    if (c) queueMicrotask(() => this.idListeners.has(l) && l({ certificate: Buffer.from(c.certChain), privateKey: Buffer.from(c.privateKey) }));
  }

  removeIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.idListeners.delete(l);
  }
}

/** Citadel over the bus as a SignClient. */
export const busSignClient = (bus: Bus): SignClient => ({ sign: (req) => bus.request(CitadelSign, req, { timeoutMs: 10_000 }) });
