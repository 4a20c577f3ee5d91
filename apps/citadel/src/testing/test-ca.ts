import { type CaCredential, createIntermediateCa, createRootCa } from '@mizzen/pki';

/** A throwaway root and intermediate (for test servers, not for Citadel's own CA). */
export async function testCa(): Promise<{ root: CaCredential; intermediate: CaCredential }> {
  const root = await createRootCa({ subject: { organization: 'test', commonName: 'Test Root' }, ttlMs: 86_400_000 });
  const intermediate = await createIntermediateCa({ issuer: root, subject: { organization: 'test', commonName: 'Test Intermediate' }, ttlMs: 86_400_000 });
  return { root, intermediate };
}
