import fs from 'node:fs';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { CitadelToken } from '@mizzen/contracts';

/** Who a proxy is: the identity Citadel certifies (`spiffe://<td>/ns/<namespace>/sa/<serviceAccount>`). */
export interface ProxyIdentity {
  /** Process name, also the token file name. */
  name: string;
  namespace: string;
  serviceAccount: string;
}

/**
 * Local mode's stand-in for Kubernetes service-account tokens: meshctl asks Citadel
 * (`mizzen.citadel.token.v1`) for one bootstrap token per proxy and writes it to
 * `<stateDir>/identities/<name>.token` (mode 0600, directory 0700). The proxy's agent presents it
 * with its CSR; Citadel then certifies exactly that namespace and service account. Returns the
 * token file per proxy name.
 */
export async function mintBootstrapTokens(natsUrl: string, stateDir: string, proxies: readonly ProxyIdentity[]): Promise<Map<string, string>> {
  const dir = path.join(stateDir, 'identities');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bus = await Bus.connect({ url: natsUrl, name: 'meshctl-up' });
  const files = new Map<string, string>();
  try {
    for (const p of proxies) {
      const { token } = await bus.request(CitadelToken, { namespace: p.namespace, serviceAccount: p.serviceAccount, requester: 'meshctl' }, { timeoutMs: 10_000 });
      const file = path.join(dir, `${p.name}.token`);
      fs.writeFileSync(file, token, { mode: 0o600 });
      files.set(p.name, file);
    }
  } finally {
    await bus.close();
  }
  return files;
}
