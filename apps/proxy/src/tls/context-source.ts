import tls from 'node:tls';
import type { CommonTlsConfig, PemKeyPair } from '../config/model';
import { repeatedKeyType } from './key-types';
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
    const pairs = c.certificateSecrets.length ? c.certificateSecrets.map((r) => this.certificateSecret(r.name)) : c.certificates;
    const ca = c.validationSecret && this.secrets.validation(c.validationSecret.name);
    if (c.validationSecret && !ca) throw new Error(this.secrets.problem(c.validationSecret.name, 'validation'));
    const repeated = repeatedKeyType(pairs.map((p) => p.privateKey));
    if (repeated !== undefined) throw new Error(`certificate ${c.certificateSecrets[repeated]?.name ?? repeated} repeats the key type of an earlier one: one certificate per key type (RSA, ECDSA)`);
    // Arrays: OpenSSL keeps one certificate per key type and presents the one the client's signature algorithms allow.
    const options: tls.SecureContextOptions = {
      cert: pairs.length ? pairs.map((p) => p.certificateChain) : undefined,
      key: pairs.length ? pairs.map((p) => p.privateKey) : undefined,
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

  private certificateSecret(name: string): PemKeyPair {
    const cert = this.secrets.certificate(name);
    if (!cert) throw new Error(this.secrets.problem(name, 'certificate'));
    return cert;
  }

  private versions(): string {
    const c = this.config;
    const v = (name: string | undefined): number => (name ? (this.secrets.get(name)?.version ?? 0) : 0);
    return `${c.certificateSecrets.map((r) => v(r.name)).join(',')}/${v(c.validationSecret?.name)}`;
  }
}
