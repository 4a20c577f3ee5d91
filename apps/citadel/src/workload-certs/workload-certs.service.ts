import { formatWorkloadId, parseCsr } from '@mizzen/pki';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CallerAuth } from '../auth/caller-auth';
import { CertificateAuthority } from '../ca/certificate-authority';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { authorizeWorkloadCsr, resolveTtl } from './authorize-csr';
import { Refusal } from './refusal';

export interface WorkloadCsrRequest {
  csr: string;
  /** Istio ca.proto `validity_duration`, seconds; 0 = default. */
  validitySeconds: number;
  /** The bearer token from `authorization` metadata, if any. */
  bearer?: string;
  /** Where the call came from, for the log. */
  peer: string;
}

/**
 * Istio's CreateCertificate flow: authenticate the caller, parse the CSR (signature = proof of
 * possession), check that it asks for exactly the proven SPIFFE ID, then sign. Every refusal is
 * logged with the peer and reason (never the token) and thrown as a {@link Refusal}.
 */
@Injectable()
export class WorkloadCerts {
  private readonly logger = new Logger('WorkloadCerts');

  constructor(
    private readonly auth: CallerAuth,
    private readonly ca: CertificateAuthority,
    @Inject(CITADEL_CONFIG) private readonly config: CitadelConfig,
  ) {}

  async createCertificate(req: WorkloadCsrRequest): Promise<string[]> {
    try {
      const proven = await this.auth.authenticate(req.bearer);
      if (!proven.ok) throw new Refusal('unauthenticated', proven.reason);
      const { namespace, serviceAccount, via } = proven.identity;
      const spiffeId = formatWorkloadId({ trustDomain: this.config.trustDomain, namespace, serviceAccount });
      const parsed = await parseCsr(req.csr);
      if (!parsed.ok) throw new Refusal('invalid-argument', `invalid CSR: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      authorizeWorkloadCsr(parsed.value, spiffeId);
      const ttlMs = resolveTtl(req.validitySeconds, this.config.workloadCertTtlMs, this.config.maxWorkloadCertTtlMs);
      const issued = await this.ca.issue({ csr: parsed.value, sans: { uris: [spiffeId] }, ttlMs });
      this.logger.log(`issued ${spiffeId} (proved by ${via}) serial ${issued.serialNumber} until ${issued.notAfter.toISOString()} to ${req.peer}`);
      return issued.certChain;
    } catch (err) {
      if (err instanceof Refusal) this.logger.warn(`refused CreateCertificate from ${req.peer}: ${err.code}: ${err.message}`);
      throw err;
    }
  }
}
