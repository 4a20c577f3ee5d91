import tls from 'node:tls';
import type { CommonTlsConfig } from '../config/model';
import type { SecretStore } from './secret-store';

/**
 * The secure context of one TLS config, with SDS secrets resolved from the store. Rebuilt only
 * when a referenced secret changed (a rotation): callers ask before each handshake, which is a
 * version comparison, so open connections keep their session and new ones get the new material.
 */
export class TlsContextSource {
  private stamp = '';
  private cached?: { options: tls.SecureContextOptions; context: tls.SecureContext };

  constructor(
    readonly config: CommonTlsConfig,
    private readonly secrets: SecretStore,
  ) {}

  /** The peer is verified (a trusted CA or a validation secret is configured). */
  get verifies(): boolean {
    return this.config.trustedCa !== undefined || this.config.validationSecret !== undefined;
  }

  /** True when the material changed since the last `current()`. */
  changed(): boolean {
    return this.versions() !== this.stamp;
  }

  /** Options and context for the current secrets; throws naming a missing secret. */
  current(): { options: tls.SecureContextOptions; context: tls.SecureContext } {
    const stamp = this.versions();
    if (this.cached && stamp === this.stamp) return this.cached;
    const c = this.config;
    const cert = c.certificateSecret && this.secrets.certificate(c.certificateSecret.name);
    if (c.certificateSecret && !cert) throw new Error(this.secrets.problem(c.certificateSecret.name, 'certificate'));
    const ca = c.validationSecret && this.secrets.validation(c.validationSecret.name);
    if (c.validationSecret && !ca) throw new Error(this.secrets.problem(c.validationSecret.name, 'validation'));
    const options: tls.SecureContextOptions = {
      cert: cert ? cert.certificateChain : c.certificateChain,
      key: cert ? cert.privateKey : c.privateKey,
      ca: ca ? ca.trustedCa : c.trustedCa,
      crl: c.crl,
      minVersion: c.minVersion,
      maxVersion: c.maxVersion,
      ciphers: c.ciphers,
    };
    this.cached = { options, context: tls.createSecureContext(options) };
    this.stamp = stamp;
    return this.cached;
  }

  private versions(): string {
    const c = this.config;
    const v = (name: string | undefined): number => (name ? (this.secrets.get(name)?.version ?? 0) : 0);
    return `${v(c.certificateSecret?.name)}/${v(c.validationSecret?.name)}`;
  }
}
