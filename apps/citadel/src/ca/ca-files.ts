import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The CA directory, in Istio's `cacerts` layout (istio/istio samples/certs, "Plug in CA
 * certificates") plus Citadel's own files:
 * - `ca-cert.pem` / `ca-key.pem`: the signing (intermediate) CA and its key
 * - `root-cert.pem`: the active root; `cert-chain.pem`: ca-cert up to and including the root
 * - `root-key.pem`: present only when Citadel made the root itself (self-signed mode); without it
 *   the CA is plugged in and roots cannot be rotated here
 * - `retiring-roots.json`: rotated-out roots still trusted until their `retireAt`
 * - `pending/`: during a rotation, the announced hierarchy in the same layout plus
 *   `pending-root.json` (when it activates, the outgoing root's grace period)
 * - `token-key.pem`: Citadel's ES256 key for bootstrap tokens
 * Keys and every file Citadel writes are mode 0600 in a 0700 directory.
 */
export const CA_FILES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  rootCert: 'root-cert.pem',
  rootKey: 'root-key.pem',
  certChain: 'cert-chain.pem',
  retiringRoots: 'retiring-roots.json',
  pendingRoot: 'pending-root.json',
  tokenKey: 'token-key.pem',
} as const;

export type CaFile = keyof typeof CA_FILES;

export class CaDir {
  constructor(readonly dir: string) {}

  path(file: CaFile): string {
    return path.join(this.dir, CA_FILES[file]);
  }

  /** The directory of the pending hierarchy during a rotation. */
  pending(): CaDir {
    return new CaDir(path.join(this.dir, 'pending'));
  }

  /** Removes the directory and everything in it (a pending hierarchy once it is active). */
  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  async ensure(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** The file's text, or undefined when it does not exist. */
  async read(file: CaFile): Promise<string | undefined> {
    try {
      return await fs.readFile(this.path(file), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async exists(file: CaFile): Promise<boolean> {
    return (await this.read(file)) !== undefined;
  }

  /**
   * Writes atomically (a 0600 temp file created exclusively, then renamed over the target), so a
   * crash never leaves a half-written key and the key is never readable by others, even briefly.
   */
  async write(file: CaFile, text: string): Promise<void> {
    const target = this.path(file);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  }

  /** The permission bits of a file (to warn about plugged-in keys readable by others). */
  async mode(file: CaFile): Promise<number | undefined> {
    try {
      return (await fs.stat(this.path(file))).mode & 0o777;
    } catch {
      return undefined;
    }
  }
}
