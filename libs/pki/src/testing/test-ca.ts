import { type CaCredential, createIntermediateCa, createRootCa } from '../ca';
import type { KeyAlgorithmName } from '../keys';

const DAY = 86_400_000;

/** A root and an intermediate for tests (trust domain `cluster.local`). */
export async function testCa(alg: KeyAlgorithmName = 'ECDSA-P256', now = new Date()): Promise<{ root: CaCredential; intermediate: CaCredential }> {
  const root = await createRootCa({ subject: { organization: 'cluster.local', commonName: 'Test Root CA' }, key: alg, ttlMs: 365 * DAY, now });
  const intermediate = await createIntermediateCa({ issuer: root, subject: { organization: 'cluster.local', commonName: 'Test Intermediate CA' }, key: alg, ttlMs: 180 * DAY, now });
  return { root, intermediate };
}
