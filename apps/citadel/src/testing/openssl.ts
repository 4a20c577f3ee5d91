import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface OpensslResult {
  code: number;
  output: string;
}

/** Runs the real `openssl` binary. */
export function openssl(args: readonly string[], cwd?: string): Promise<OpensslResult> {
  return new Promise((resolve) => {
    execFile('openssl', args, { cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** `openssl verify -x509_strict -CAfile <roots> -untrusted <intermediates> <leaf>`. */
export async function opensslVerify(p: { roots: string; intermediates: string; leaf: string }): Promise<OpensslResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'citadel-openssl-'));
  try {
    await fs.writeFile(path.join(dir, 'roots.pem'), p.roots);
    await fs.writeFile(path.join(dir, 'int.pem'), p.intermediates);
    await fs.writeFile(path.join(dir, 'leaf.pem'), p.leaf);
    return await openssl(['verify', '-x509_strict', '-CAfile', 'roots.pem', '-untrusted', 'int.pem', 'leaf.pem'], dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
