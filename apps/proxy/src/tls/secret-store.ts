import { EventEmitter } from 'node:events';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import { splitPemCertificates } from '@mizzen/pki/workload';
import { certificateNames } from './certificate-names';

/** Istio's SDS names: the workload certificate and the mesh trust bundle. */
export const WORKLOAD_SECRET = 'default';
export const ROOT_SECRET = 'ROOTCA';

/** What /certs shows of one certificate. */
export interface CertificateDetails {
  serialNumber: string;
  subject: string;
  issuer: string;
  uriSans: string[];
  dnsSans: string[];
  validFrom: string;
  expirationTime: string;
  daysUntilExpiration: number;
}

/** A certificate chain and its key (Envoy's TlsCertificate secret). The key stays in memory. */
export interface CertificateSecret {
  kind: 'certificate';
  name: string;
  certificateChain: string;
  privateKey: string;
  /** Bumped on every change: consumers rebuild their secure contexts when it moves. */
  version: number;
  leaf: CertificateDetails;
}

/** Trusted roots (Envoy's CertificateValidationContext secret); several during a root rotation. */
export interface ValidationSecret {
  kind: 'validation';
  name: string;
  trustedCa: string;
  version: number;
  roots: CertificateDetails[];
}

export type Secret = CertificateSecret | ValidationSecret;

export function certificateDetails(pem: string, now = Date.now()): CertificateDetails {
  const c = new X509Certificate(pem);
  const names = certificateNames(c.raw);
  const expires = Date.parse(c.validTo);
  return {
    serialNumber: c.serialNumber.toLowerCase(),
    subject: c.subject,
    issuer: c.issuer,
    uriSans: names.uris,
    dnsSans: names.dnsNames,
    validFrom: new Date(Date.parse(c.validFrom)).toISOString(),
    expirationTime: new Date(expires).toISOString(),
    daysUntilExpiration: Math.floor((expires - now) / 86_400_000),
  };
}

/**
 * The secrets TLS contexts refer to by SDS name, as Istio's agent serves them: `default` and
 * `ROOTCA` from the certificate agent, and `file-cert:<chain>~<key>` / `file-root:<bundle>`
 * (Istio's names for DestinationRule certificate files) read from disk on first use;
 * `file-root:system` is the system trust store (node's bundled Mozilla roots). Whatever
 * `sds_config` a context carries, the name is resolved here. Consumers either subscribe to
 * `update` or compare `version` before each handshake, so a rotation reaches new handshakes
 * without touching open connections.
 */
export class SecretStore extends EventEmitter<{ update: [name: string] }> {
  private readonly secrets = new Map<string, Secret>();
  private nextVersion = 1;

  /** Sets (or rotates) a certificate secret; throws if the chain or key is unusable. */
  setCertificate(name: string, certificateChain: string, privateKey: string): CertificateSecret {
    const certs = splitPemCertificates(certificateChain);
    if (!certs.length) throw new Error(`secret "${name}": no certificate in the chain`);
    const leaf = new X509Certificate(certs[0]);
    if (!leaf.checkPrivateKey(createPrivateKey(privateKey))) throw new Error(`secret "${name}": the private key does not match the certificate`);
    const s: CertificateSecret = { kind: 'certificate', name, certificateChain: certs.join(''), privateKey, version: this.nextVersion++, leaf: certificateDetails(certs[0]) };
    return this.put(s);
  }

  /** Sets (or rotates) a trust bundle; duplicate roots are dropped. */
  setTrustBundle(name: string, roots: readonly string[]): ValidationSecret {
    const unique = [...new Set(roots.flatMap((r) => splitPemCertificates(r)))];
    if (!unique.length) throw new Error(`secret "${name}": no root certificate`);
    const s: ValidationSecret = { kind: 'validation', name, trustedCa: unique.join(''), version: this.nextVersion++, roots: unique.map((r) => certificateDetails(r)) };
    return this.put(s);
  }

  /** Stores a secret unless its content is unchanged (then consumers keep their contexts). */
  private put<S extends Secret>(s: S): S {
    const prev = this.secrets.get(s.name);
    if (prev && sameContent(prev, s)) return prev as S;
    this.secrets.set(s.name, s);
    this.emit('update', s.name);
    return s;
  }

  /** The secret by SDS name, loading `file-cert:` / `file-root:` names from disk the first time. */
  get(name: string): Secret | undefined {
    return this.secrets.get(name) ?? this.loadFile(name);
  }

  /** Why `name` cannot be used as a `kind` secret, or undefined when it can. */
  problem(name: string, kind: Secret['kind']): string | undefined {
    let s: Secret | undefined;
    try {
      s = this.get(name);
    } catch (err) {
      return `secret "${name}": ${(err as Error).message}`;
    }
    if (!s) {
      const agent = name === WORKLOAD_SECRET || name === ROOT_SECRET ? ': this proxy has no certificate agent (start it with --ca-addr)' : '';
      return `secret "${name}" is not available${agent}`;
    }
    if (s.kind !== kind) return `secret "${name}" is a ${s.kind} secret, not a ${kind} secret`;
    return undefined;
  }

  certificate(name: string): CertificateSecret | undefined {
    const s = this.get(name);
    return s?.kind === 'certificate' ? s : undefined;
  }

  validation(name: string): ValidationSecret | undefined {
    const s = this.get(name);
    return s?.kind === 'validation' ? s : undefined;
  }

  all(): Secret[] {
    return [...this.secrets.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Istio's file-based SDS names; read once (no file watch). */
  private loadFile(name: string): Secret | undefined {
    if (name.startsWith('file-cert:')) {
      const [chain, key] = name.slice('file-cert:'.length).split('~');
      if (!chain || !key) throw new Error('expected file-cert:<chain file>~<key file>');
      return this.setCertificate(name, fs.readFileSync(chain, 'utf8'), fs.readFileSync(key, 'utf8'));
    }
    if (name === 'file-root:system') return this.setTrustBundle(name, tls.rootCertificates);
    if (name.startsWith('file-root:')) return this.setTrustBundle(name, [fs.readFileSync(name.slice('file-root:'.length), 'utf8')]);
    return undefined;
  }
}

function sameContent(a: Secret, b: Secret): boolean {
  if (a.kind === 'certificate' && b.kind === 'certificate') return a.certificateChain === b.certificateChain && a.privateKey === b.privateKey;
  if (a.kind === 'validation' && b.kind === 'validation') return a.trustedCa === b.trustedCa;
  return false;
}
