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

/**
 * A self-signed P-256 certificate for `names` (DNS SANs; the first is the CN), written to a
 * temporary directory, made with the openssl CLI as an operator would.
 */
export function selfSignedCert(names: string[], dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-cert-'))): TestCert {
  const base = names[0].replace(/[^a-z0-9.-]/gi, '_');
  const certFile = path.join(dir, `${base}.crt`);
  const keyFile = path.join(dir, `${base}.key`);
  const san = names.map((n) => `DNS:${n}`).join(',');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`],
    { stdio: 'ignore' },
  );
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
