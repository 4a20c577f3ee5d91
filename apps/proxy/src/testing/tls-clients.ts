import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import type { TestCert } from './certs';

/** What curl reported: its exit code (0: the request completed), the HTTP status and body. */
export interface CurlResult {
  exitCode: number;
  status: number;
  body: string;
  stderr: string;
}

/**
 * One HTTPS GET with curl, an independent TLS client: `host` resolves to `ip` (SNI and Host are
 * `host`), the server is verified against `ca`, and `client` is presented when given; `extra`
 * are more curl options (`--tls-max 1.2 --ciphers ...`). Bounded by a 10 s timeout; never rejects
 * (a refused handshake is a non-zero exit code).
 */
export function curlHttps(ip: string, port: number, host: string, path: string, ca: string, client?: TestCert, extra: readonly string[] = []): Promise<CurlResult> {
  const args = ['-sS', '--max-time', '10', ...extra, '--cacert', ca, '--resolve', `${host}:${port}:${ip}`, '-w', '\n%{http_code}', `https://${host}:${port}${path}`];
  if (client) args.push('--cert', client.certFile, '--key', client.keyFile);
  return new Promise((resolve) => {
    execFile('curl', args, { timeout: 15_000 }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const nl = stdout.lastIndexOf('\n');
      resolve({ exitCode, status: Number(stdout.slice(nl + 1)) || 0, body: stdout.slice(0, Math.max(nl, 0)), stderr });
    });
  });
}

/**
 * The certificate a server presents to `openssl s_client` offering only `sigalgs` (e.g.
 * `ECDSA+SHA256`), as an X509Certificate, or undefined when the handshake fails. Bounded by 10 s.
 */
export function presentedCertificate(ip: string, port: number, serverName: string, sigalgs: string): Promise<X509Certificate | undefined> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `${ip}:${port}`, '-servername', serverName, '-sigalgs', sigalgs], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill(), 10_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => {
      clearTimeout(timer);
      const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0];
      resolve(pem ? new X509Certificate(pem) : undefined);
    });
    child.stdin.end();
  });
}
