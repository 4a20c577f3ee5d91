import { type CaCredential, exportPrivateKeyPem, importPrivateKeyPem, joinPem, parseCertificate, publicKeyDer, splitPemCertificates, verifyChain } from '@mizzen/pki';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { CaDir } from './ca-files';
import type { CaHierarchy, CaState, PendingRoot, RetiringRoot } from './ca-state';

const retiringFile = z.object({ roots: z.array(z.object({ pem: z.string(), retireAt: z.iso.datetime() })) });
const pendingFile = z.object({ activateAt: z.iso.datetime(), gracePeriodMs: z.number().int().nonnegative() });

/** A CA directory that cannot be used, naming the file and what is wrong. */
export class CaLoadError extends Error {
  override readonly name = 'CaLoadError';
}

/**
 * Writes the whole state. Crash-safe order: the retiring list first (a crash mid-activation never
 * drops trust in the outgoing root), then the pending hierarchy, then the active one; a pending
 * directory is removed only after its hierarchy is written as the active one.
 */
export async function saveCa(dir: CaDir, state: CaState): Promise<void> {
  // Plugged-in files belong to the operator (often a read-only Secret mount): never rewrite them.
  if (state.mode !== 'self-signed') return;
  await dir.ensure();
  await dir.write('retiringRoots', JSON.stringify({ roots: state.retiring.map((r) => ({ pem: r.pem, retireAt: r.retireAt.toISOString() })) }, null, 2) + '\n');
  const pendingDir = dir.pending();
  if (state.pending) {
    await pendingDir.ensure();
    await writeHierarchy(pendingDir, state.pending);
    await pendingDir.write('pendingRoot', JSON.stringify({ activateAt: state.pending.activateAt.toISOString(), gracePeriodMs: state.pending.gracePeriodMs }, null, 2) + '\n');
  }
  await writeHierarchy(dir, state);
  if (!state.pending) await pendingDir.remove();
}

async function writeHierarchy(dir: CaDir, h: CaHierarchy): Promise<void> {
  if (h.root) await dir.write('rootKey', await exportPrivateKeyPem(h.root.key));
  await dir.write('rootCert', h.rootPem);
  await dir.write('caKey', await exportPrivateKeyPem(h.signer.key));
  await dir.write('caCert', h.signer.certPem);
  await dir.write('certChain', joinPem([...h.intermediates, h.rootPem]));
}

/** Whether the directory holds a CA already (else Citadel creates one). */
export async function hasCa(dir: CaDir): Promise<boolean> {
  return (await dir.exists('caCert')) || (await dir.exists('caKey'));
}

/**
 * Loads and checks a CA directory: the signing key matches `ca-cert.pem`, which is a CA whose
 * chain (`cert-chain.pem`) leads to `root-cert.pem` (RFC 5280 path validation, reduced); a
 * `root-key.pem`, when present, matches the root. A `pending/` hierarchy is checked the same way.
 * Throws {@link CaLoadError} naming the problem.
 */
export async function loadCa(dir: CaDir, now: Date): Promise<CaState> {
  const active = await loadHierarchy(dir, now);
  const retiring = await loadRetiring(dir);
  const pending = await loadPending(dir.pending(), now);
  // A crash after activation but before the pending directory was removed: it is the active one.
  const stillPending = pending && pending.rootPem.trim() !== active.rootPem.trim() ? pending : undefined;
  return { mode: active.root ? 'self-signed' : 'plugged-in', ...active, retiring, ...(stillPending ? { pending: stillPending } : {}) };
}

async function loadHierarchy(dir: CaDir, now: Date): Promise<CaHierarchy> {
  const need = async (file: Parameters<CaDir['read']>[0]): Promise<string> => {
    const text = await dir.read(file);
    if (text === undefined) throw new CaLoadError(`${dir.path(file)} is missing (a CA directory needs ca-cert.pem, ca-key.pem and root-cert.pem)`);
    return text;
  };
  const signer = await credential(await need('caCert'), await need('caKey'), dir.path('caKey'));
  const rootPem = splitPemCertificates(await need('rootCert'))[0];
  if (!rootPem) throw new CaLoadError(`${dir.path('rootCert')} holds no certificate`);
  const chainText = (await dir.read('certChain')) ?? joinPem([signer.certPem, rootPem]);
  const intermediates = splitPemCertificates(chainText).filter((c) => c.trim() !== rootPem.trim());
  if (!intermediates.length || intermediates[0].trim() !== signer.certPem.trim()) intermediates.unshift(signer.certPem);
  if (!new X509Certificate(signer.certPem).ca) throw new CaLoadError(`${dir.path('caCert')} is not a CA certificate (basicConstraints cA is not set)`);
  const path = verifyChain({ leaf: signer.certPem, intermediates: intermediates.slice(1), roots: [rootPem], at: now });
  if (!path.ok) throw new CaLoadError(`${dir.path('caCert')} does not chain to ${dir.path('rootCert')}: ${path.errors.map((e) => e.message).join('; ')}`);
  const rootKey = await dir.read('rootKey');
  const root = rootKey === undefined ? undefined : await credential(rootPem, rootKey, dir.path('rootKey'));
  return { rootPem, root, signer, intermediates };
}

async function loadPending(dir: CaDir, now: Date): Promise<PendingRoot | undefined> {
  const meta = await readJson(dir, 'pendingRoot', pendingFile);
  if (!meta) return undefined;
  const h = await loadHierarchy(dir, now);
  if (!h.root) throw new CaLoadError(`${dir.path('rootKey')} is missing: a pending root needs its key`);
  return { ...h, root: h.root, activateAt: new Date(meta.activateAt), gracePeriodMs: meta.gracePeriodMs };
}

async function credential(certText: string, keyText: string, keyPath: string): Promise<CaCredential> {
  const certPem = splitPemCertificates(certText)[0];
  if (!certPem) throw new CaLoadError(`no certificate next to ${keyPath}`);
  const cert = parseCertificate(certPem);
  let key;
  try {
    key = await importPrivateKeyPem(keyText);
  } catch (err) {
    throw new CaLoadError(`${keyPath}: unusable private key: ${(err as Error).message}`);
  }
  const certKey = Buffer.from(cert.publicKey.rawData);
  if (!certKey.equals(await publicKeyDer(key.publicKey))) throw new CaLoadError(`${keyPath} does not match its certificate's public key`);
  return { certPem, cert, key };
}

async function loadRetiring(dir: CaDir): Promise<RetiringRoot[]> {
  const data = await readJson(dir, 'retiringRoots', retiringFile);
  return data ? data.roots.map((r) => ({ pem: r.pem, retireAt: new Date(r.retireAt) })) : [];
}

/** A JSON file checked against its schema; undefined when the file does not exist. */
async function readJson<T>(dir: CaDir, file: 'retiringRoots' | 'pendingRoot', schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await dir.read(file);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CaLoadError(`${dir.path(file)}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CaLoadError(`${dir.path(file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
