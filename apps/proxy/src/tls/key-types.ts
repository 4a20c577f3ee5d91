import { createPrivateKey } from 'node:crypto';

/** The key type of a PEM private key (`rsa`, `ec`, `ed25519`, ...), or undefined when it does not parse. */
export function keyType(pem: string): string | undefined {
  try {
    return createPrivateKey(pem).asymmetricKeyType;
  } catch {
    return undefined;
  }
}

/**
 * The index of the first key whose type an earlier key already has, or undefined. OpenSSL holds one
 * certificate per key type in a context (a second RSA certificate would silently replace the
 * first), so a context serves several certificates only when their key types differ, the RSA +
 * ECDSA pair Istio's `credentialNames` / `tlsCertificates` are for. (Envoy also selects among
 * same-type certificates by SNI; the Mizzen proxy does not.)
 */
export function repeatedKeyType(keys: readonly string[]): number | undefined {
  const seen = new Set<string>();
  for (const [i, k] of keys.entries()) {
    const t = keyType(k);
    if (t === undefined) continue;
    if (seen.has(t)) return i;
    seen.add(t);
  }
  return undefined;
}
