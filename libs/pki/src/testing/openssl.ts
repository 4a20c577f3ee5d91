import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface OpensslResult {
  code: number;
  output: string;
}

/** Runs the real `openssl` binary; resolves with its exit code and combined output. */
export function openssl(args: readonly string[]): Promise<OpensslResult> {
  return new Promise((resolve) => {
    execFile('openssl', args, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * `openssl verify -x509_strict -CAfile <roots> -untrusted <intermediates> <leaf>` on PEM text,
 * written to a fresh temp dir.
 */
export async function opensslVerify(p: { roots: string; intermediates?: string; leaf: string; purpose?: string }): Promise<OpensslResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-openssl-'));
  try {
    const file = async (name: string, text: string) => {
      const f = path.join(dir, name);
      await fs.writeFile(f, text);
      return f;
    };
    const args = ['verify', '-x509_strict', '-CAfile', await file('roots.pem', p.roots)];
    if (p.intermediates) args.push('-untrusted', await file('intermediates.pem', p.intermediates));
    if (p.purpose) args.push('-purpose', p.purpose);
    args.push(await file('leaf.pem', p.leaf));
    return await openssl(args);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `openssl x509 -noout -text` of a certificate. */
export async function opensslText(pem: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-openssl-'));
  try {
    const f = path.join(dir, 'cert.pem');
    await fs.writeFile(f, pem);
    const r = await openssl(['x509', '-noout', '-text', '-in', f]);
    if (r.code !== 0) throw new Error(r.output);
    return r.output;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
