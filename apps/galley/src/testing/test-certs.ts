import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway CA (`ca.crt`) and P-256 leaf certificates `<name>.crt`/`<name>.key` for
 * `<name>.example.com`, made with openssl (one day). `read(file)` returns a file's PEM.
 */
export function makeTestCerts(names: readonly string[]): { dir: string; read(file: string): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-cred-'));
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/O=example Inc./CN=example.com');
  for (const n of names) {
    openssl('req', ...ec, '-keyout', `${n}.key`, '-out', `${n}.csr`, '-subj', `/CN=${n}.example.com`);
    fs.writeFileSync(path.join(dir, `${n}.ext`), `subjectAltName=DNS:${n}.example.com\n`);
    openssl('x509', '-req', '-in', `${n}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${n}.crt`, '-days', '1', '-extfile', `${n}.ext`);
  }
  return { dir, read: (f) => fs.readFileSync(path.join(dir, f), 'utf8'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
