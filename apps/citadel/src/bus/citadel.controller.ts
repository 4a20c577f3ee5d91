import { CitadelRotateRoot, CitadelSign, CitadelToken, type RotateReply, type RotateRequest, type SignReply, type SignRequest, type TokenReply, type TokenRequest } from '@mizzen/contracts';
import { parseCsr } from '@mizzen/pki';
import { Controller, Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { BootstrapTokens } from '../auth/bootstrap-tokens';
import { CertificateAuthority } from '../ca/certificate-authority';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { CLOCK, type Clock } from '../platform/clock';
import { toTrustBundle } from '../trust/trust-bundle';
import { checkPeerCsr } from './peer-policy';

/** A refusal the requester sees as `invalid-request` with field paths (bus-nest's handler-error mapping). */
function refuse(message: string, errors: { path: string; message: string }[]): never {
  throw new RpcException({ code: 'invalid-request', message, errors });
}

/**
 * Citadel's NATS surface (payloads arrive validated by the transport): sign control-plane CSRs,
 * mint bootstrap tokens, rotate the root. Keys never appear in a request or a reply.
 */
@Controller()
export class CitadelController {
  private readonly logger = new Logger('CitadelBus');

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly tokens: BootstrapTokens,
    @Inject(CITADEL_CONFIG) private readonly config: CitadelConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(CitadelSign.subject)
  async sign(@Payload() req: SignRequest): Promise<SignReply> {
    const parsed = await parseCsr(req.csr);
    if (!parsed.ok) return this.refused('sign', req.requester, parsed.errors);
    const policy = checkPeerCsr(parsed.value, { trustDomain: this.config.trustDomain, controlPlaneNamespace: this.config.controlPlaneNamespace });
    if (policy.length) return this.refused('sign', req.requester, policy);
    const ttlMs = (req.ttlSeconds ?? 0) * 1000 || this.config.workloadCertTtlMs;
    if (ttlMs > this.config.maxWorkloadCertTtlMs) return this.refused('sign', req.requester, [{ path: 'ttlSeconds', message: `exceeds the maximum of ${this.config.maxWorkloadCertTtlMs / 1000}s` }]);
    const { uris, dnsNames, ipAddresses } = parsed.value;
    const issued = await this.ca.issue({ csr: parsed.value, sans: { uris, dnsNames, ipAddresses }, ttlMs });
    this.logger.log(`signed ${[...uris, ...dnsNames, ...ipAddresses].join(', ')} for ${req.requester}: serial ${issued.serialNumber} until ${issued.notAfter.toISOString()}`);
    return { certChain: issued.certChain, trustBundle: this.ca.roots(), serialNumber: issued.serialNumber, notAfter: issued.notAfter.toISOString() };
  }

  @MessagePattern(CitadelToken.subject)
  token(@Payload() req: TokenRequest): TokenReply {
    if (!this.config.auth.includes('local')) return this.refused('token', req.requester, [{ path: '', message: 'bootstrap tokens are disabled (--auth does not include local)' }]);
    const ttlMs = (req.ttlSeconds ?? 0) * 1000 || this.config.tokenTtlMs;
    if (ttlMs > this.config.maxTokenTtlMs) return this.refused('token', req.requester, [{ path: 'ttlSeconds', message: `exceeds the maximum of ${this.config.maxTokenTtlMs / 1000}s` }]);
    const minted = this.tokens.mint(req.namespace, req.serviceAccount, ttlMs);
    this.logger.log(`minted a bootstrap token for ${minted.spiffeId} (until ${minted.expiresAt.toISOString()}) for ${req.requester}`);
    return { token: minted.token, spiffeId: minted.spiffeId, expiresAt: minted.expiresAt.toISOString() };
  }

  @MessagePattern(CitadelRotateRoot.subject)
  async rotate(@Payload() req: RotateRequest): Promise<RotateReply> {
    if (this.ca.current.mode !== 'self-signed') return this.refused('rotate', req.requester, [{ path: '', message: 'the CA is plugged in (no root-key.pem): replace the cacerts files to rotate its root' }]);
    this.logger.log(`root rotation requested by ${req.requester}`);
    if (this.ca.current.pending) return this.refused('rotate', req.requester, [{ path: '', message: `a rotation is already under way: the new root signs from ${this.ca.current.pending.activateAt.toISOString()}` }]);
    const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
    const state = await this.ca.rotate(ms(req.gracePeriodSeconds), ms(req.activationDelaySeconds));
    return { bundle: toTrustBundle(state, this.config.trustDomain, new Date(this.clock.now())) };
  }

  private refused(what: string, requester: string, errors: { path: string; message: string }[]): never {
    this.logger.warn(`refused ${what} for ${requester}: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
    refuse(`${what} refused`, errors);
  }
}
