import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { CaDir } from '../ca/ca-files';

/** Citadel's bootstrap-token signing key: ECDSA P-256, kept apart from the CA keys. */
export interface TokenKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RFC 7638-like short id: the first 16 hex of the SHA-256 of the SPKI. */
  kid: string;
}

/** Loads `token-key.pem` from the CA directory, creating it (mode 0600) on first start. */
export async function openTokenKey(dir: CaDir): Promise<TokenKey> {
  let pem = await dir.read('tokenKey');
  if (pem === undefined) {
    await dir.ensure();
    pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await dir.write('tokenKey', pem);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${dir.path('tokenKey')} is not an ECDSA P-256 key`);
  }
  const publicKey = createPublicKey(privateKey);
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKey, kid };
}
