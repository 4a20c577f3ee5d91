import { createPrivateKey, createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import type { CryptoKey, CryptoKeyPair, EcKeyImportParams, EcdsaParams, RsaHashedImportParams } from './provider';

// node's own WebCrypto: keys need no @peculiar/x509 (provider.ts), so workloads never load it.
const subtle = webcrypto.subtle;

/** Algorithms Mizzen generates keys for: ECDSA P-256 (default, fast) or RSA-2048. */
export type KeyAlgorithmName = 'ECDSA-P256' | 'RSA-2048';

/** What a key is, whether generated or loaded (plugged-in CAs may bring RSA-4096 or P-384). */
export type KeySpec = { type: 'ec'; curve: 'P-256' | 'P-384' } | { type: 'rsa'; bits: number };

/** A WebCrypto key pair plus what it is. Private keys are extractable so they can be persisted. */
export interface KeyPair {
  spec: KeySpec;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const HASH_FOR: Record<'P-256' | 'P-384', string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' };

/** The WebCrypto import/generate parameters for a key spec. */
function importParams(spec: KeySpec): RsaHashedImportParams | EcKeyImportParams {
  return spec.type === 'ec' ? { name: 'ECDSA', namedCurve: spec.curve } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/** Signature algorithm used with a key: ecdsa-with-SHA256/384 or sha256WithRSAEncryption (RFC 5758, RFC 4055). */
export function signingAlgorithm(spec: KeySpec): EcdsaParams | RsaHashedImportParams {
  return spec.type === 'ec' ? { name: 'ECDSA', hash: HASH_FOR[spec.curve] } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export function keySpecOf(name: KeyAlgorithmName): KeySpec {
  return name === 'RSA-2048' ? { type: 'rsa', bits: 2048 } : { type: 'ec', curve: 'P-256' };
}

export function describeKeySpec(spec: KeySpec): string {
  return spec.type === 'ec' ? `ECDSA ${spec.curve}` : `RSA-${spec.bits}`;
}

/** Generates a key pair (ECDSA P-256 by default). */
export async function generateKeyPair(algorithm: KeyAlgorithmName = 'ECDSA-P256'): Promise<KeyPair> {
  const spec = keySpecOf(algorithm);
  const params =
    spec.type === 'ec'
      ? { name: 'ECDSA', namedCurve: spec.curve }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { spec, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) of the private key. Handle with care: never log it. */
export async function exportPrivateKeyPem(key: KeyPair): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key.privateKey));
  return toPem('PRIVATE KEY', der);
}

/** SubjectPublicKeyInfo PEM of the public key. */
export async function exportPublicKeyPem(key: KeyPair): Promise<string> {
  return toPem('PUBLIC KEY', Buffer.from(await subtle.exportKey('spki', key.publicKey)));
}

/** The key spec of a node:crypto key, or an error message for keys Mizzen does not use. */
export function specOfKeyObject(k: KeyObject): KeySpec | string {
  const d = k.asymmetricKeyDetails ?? {};
  if (k.asymmetricKeyType === 'ec') {
    if (d.namedCurve === 'prime256v1' || d.namedCurve === 'P-256') return { type: 'ec', curve: 'P-256' };
    if (d.namedCurve === 'secp384r1' || d.namedCurve === 'P-384') return { type: 'ec', curve: 'P-384' };
    return `unsupported EC curve ${d.namedCurve ?? 'unknown'} (P-256 or P-384)`;
  }
  if (k.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength ?? 0;
    return bits >= 2048 ? { type: 'rsa', bits } : `RSA key of ${bits} bits is too small (at least 2048)`;
  }
  return `unsupported key type ${k.asymmetricKeyType ?? 'unknown'} (EC or RSA)`;
}

/**
 * Loads a PEM private key (PKCS#8, or the traditional `EC PRIVATE KEY` / `RSA PRIVATE KEY` forms
 * openssl and Istio's cacerts use) into a WebCrypto key pair. Throws on unsupported keys.
 */
export async function importPrivateKeyPem(pem: string): Promise<KeyPair> {
  const priv = createPrivateKey(pem);
  const spec = specOfKeyObject(priv);
  if (typeof spec === 'string') throw new Error(spec);
  const params = importParams(spec);
  const pkcs8 = priv.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  return {
    spec,
    privateKey: await subtle.importKey('pkcs8', pkcs8, params, true, ['sign']),
    publicKey: await subtle.importKey('spki', spki, params, true, ['verify']),
  };
}

/** Imports a SubjectPublicKeyInfo DER public key for signature verification. */
export function importPublicKeyDer(spki: Uint8Array, spec: KeySpec): Promise<CryptoKey> {
  return subtle.importKey('spki', spki, importParams(spec), true, ['verify']);
}

/** SubjectPublicKeyInfo DER of a public key, to compare keys (e.g. a CA key with its certificate). */
export async function publicKeyDer(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey('spki', key));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
