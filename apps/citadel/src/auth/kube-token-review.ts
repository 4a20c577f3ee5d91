import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { KubeAuthConfig } from '../platform/citadel-config';
import type { Authenticator, AuthOutcome } from './identity';

const SA_PREFIX = 'system:serviceaccount:';
const TIMEOUT_MS = 5000;

/** The parts of an authentication.k8s.io/v1 TokenReview response Citadel reads. */
interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string };
  audiences?: string[];
  error?: string;
}

/**
 * Kubernetes mode: a workload's service-account JWT is checked by the API server through a
 * TokenReview (authentication.k8s.io/v1, POST /apis/authentication.k8s.io/v1/tokenreviews), as
 * Istio's CA does. The user must be `system:serviceaccount:<ns>:<sa>`; with audiences configured the
 * token must be bound to one of them. Plain HTTPS: Citadel needs nothing else of the API.
 */
export class KubeTokenReview implements Authenticator {
  readonly name = 'kubernetes';

  constructor(private readonly config: KubeAuthConfig) {}

  accepts(): boolean {
    return true;
  }

  async authenticate(token: string): Promise<AuthOutcome> {
    let status: TokenReviewStatus;
    try {
      status = await this.review(token);
    } catch (err) {
      return { ok: false, reason: `TokenReview failed: ${(err as Error).message}` };
    }
    if (!status.authenticated) return { ok: false, reason: `Kubernetes token rejected${status.error ? `: ${status.error}` : ''}` };
    const user = status.user?.username ?? '';
    if (!user.startsWith(SA_PREFIX)) return { ok: false, reason: `Kubernetes token is for "${user}", not a service account` };
    const [namespace, serviceAccount, ...rest] = user.slice(SA_PREFIX.length).split(':');
    if (!namespace || !serviceAccount || rest.length) return { ok: false, reason: `unexpected service-account user "${user}"` };
    const want = this.config.audiences;
    if (want.length && !(status.audiences ?? []).some((a) => want.includes(a))) return { ok: false, reason: `Kubernetes token is not bound to audience ${want.join(' or ')}` };
    return { ok: true, identity: { namespace, serviceAccount, via: 'kubernetes' } };
  }

  private async review(token: string): Promise<TokenReviewStatus> {
    const body = JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(this.config.audiences.length ? { audiences: this.config.audiences } : {}) },
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (this.config.tokenFile) headers.authorization = `Bearer ${(await readFile(this.config.tokenFile, 'utf8')).trim()}`;
    const ca = this.config.caFile ? await readFile(this.config.caFile) : undefined;
    const url = new URL('/apis/authentication.k8s.io/v1/tokenreviews', this.config.apiUrl);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: 'POST', headers, ca, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          try {
            const parsed = JSON.parse(text) as { status?: TokenReviewStatus };
            resolve(parsed.status ?? {});
          } catch (err) {
            reject(new Error(`unreadable TokenReview response: ${(err as Error).message}`));
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
