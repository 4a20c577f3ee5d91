import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCert {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** The key of a test certificate: P-256 (default) or RSA 2048. */
export type TestKeyType = 'ec' | 'rsa';

const KEY_ARGS: Record<TestKeyType, string[]> = { ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'], rsa: ['-newkey', 'rsa:2048'] };

const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-cert-'));
const files = (dir: string, names: string[]) => {
  const base = names[0].replace(/[^a-z0-9.-]/gi, '_');
  return { certFile: path.join(dir, `${base}.crt`), keyFile: path.join(dir, `${base}.key`) };
};
const read = (f: { certFile: string; keyFile: string }): TestCert => ({ cert: fs.readFileSync(f.certFile, 'utf8'), key: fs.readFileSync(f.keyFile, 'utf8'), ...f });
const sanOf = (names: string[]): string => names.map((n) => (n.includes(':') ? `URI:${n}` : `DNS:${n}`)).join(',');

/**
 * A self-signed certificate for `names` (DNS SANs, or URI SANs for names with a scheme; the first
 * is the CN), written to a temporary directory, made with the openssl CLI as an operator would.
 */
export function selfSignedCert(names: string[], dir = tmpDir(), keyType: TestKeyType = 'ec'): TestCert {
  const f = files(dir, names);
  execFileSync('openssl', ['req', '-x509', ...KEY_ARGS[keyType], '-nodes', '-keyout', f.keyFile, '-out', f.certFile, '-days', '1', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${sanOf(names)}`], { stdio: 'ignore' });
  return read(f);
}

/** A self-signed CA certificate (basicConstraints CA:TRUE) that {@link caSignedCert} signs with. */
export function testCa(name: string, dir = tmpDir()): TestCert {
  const f = files(dir, [name]);
  execFileSync(
    'openssl',
    ['req', '-x509', ...KEY_ARGS.ec, '-nodes', '-keyout', f.keyFile, '-out', f.certFile, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    { stdio: 'ignore' },
  );
  return read(f);
}

/** A certificate for `names` signed by `ca` (client and server use), as `openssl x509 -req` makes it. */
export function caSignedCert(ca: TestCert, names: string[], keyType: TestKeyType = 'ec', dir = tmpDir()): TestCert {
  const f = files(dir, names);
  const csr = `${f.certFile}.csr`;
  const ext = `${f.certFile}.ext`;
  fs.writeFileSync(ext, `subjectAltName=${sanOf(names)}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  execFileSync('openssl', ['req', '-new', ...KEY_ARGS[keyType], '-nodes', '-keyout', f.keyFile, '-out', csr, '-subj', `/CN=${names[0]}`], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', f.certFile, '-days', '1', '-extfile', ext], { stdio: 'ignore' });
  return read(f);
}

/**
 * A CRL signed by `ca` revoking `revoked` (PEM, written next to a minimal `openssl ca` database),
 * for Istio's `caCrl` / Envoy's validation context `crl`.
 */
export function revocationList(ca: TestCert, revoked: readonly TestCert[], dir = tmpDir()): { crl: string; crlFile: string } {
  const db = path.join(dir, 'index.txt');
  const cnf = path.join(dir, 'ca.cnf');
  const crlFile = path.join(dir, 'crl.pem');
  fs.writeFileSync(db, '');
  fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  fs.writeFileSync(cnf, `[ca]\ndefault_ca = test\n[test]\ndatabase = ${db}\ncrlnumber = ${path.join(dir, 'crlnumber')}\ndefault_md = sha256\ndefault_crl_days = 1\n`);
  const caArgs = ['-config', cnf, '-keyfile', ca.keyFile, '-cert', ca.certFile];
  for (const r of revoked) execFileSync('openssl', ['ca', ...caArgs, '-revoke', r.certFile], { stdio: 'ignore' });
  execFileSync('openssl', ['ca', ...caArgs, '-gencrl', '-out', crlFile], { stdio: 'ignore' });
  return { crl: fs.readFileSync(crlFile, 'utf8'), crlFile };
}
