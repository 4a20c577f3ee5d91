import { type KeyObject, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';

/** A signing key for tests: RS256 (RSA 2048) or ES256 (P-256), with its public JWK. */
export interface TestSigner {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function testSigner(alg: 'RS256' | 'ES256', kid: string): TestSigner {
  const { privateKey, publicKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { alg, kid, privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export const jwksOf = (...signers: TestSigner[]): string => JSON.stringify({ keys: signers.map((s) => s.jwk) });

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A signed JWT (compact form); `header` overrides alg / kid. */
export function signJwt(s: TestSigner, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: s.alg, typ: 'JWT', kid: s.kid, ...header })}.${b64(payload)}`;
  const sig = sign('sha256', Buffer.from(input), s.alg === 'ES256' ? { key: s.privateKey, dsaEncoding: 'ieee-p1363' } : s.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
