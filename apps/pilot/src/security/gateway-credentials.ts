import type { StoredSecret } from '@mizzen/contracts';
import type { ProxyNode } from '@mizzen/mesh-model';
import { type CredentialLookup, type CredentialMaterial, credentialSecretResources } from '@mizzen/pilot-core';
import type { Secret, XdsResource } from '@mizzen/xds-types';
import { Generated } from '../xds/generated';
import type { ResourceCache } from '../xds/resource-cache';

/** Refusals logged at most once per proxy and resource name; the set is bounded. */
const MAX_LOGGED = 10_000;

/**
 * The credentials Pilot serves over SDS (Istio's SecretGen over the credentials controller):
 * kept in memory from the `mizzen-secrets` bucket, outside the mesh snapshot and its generation
 * cache, since only the gateways that name a secret ask for it and the material must not be
 * copied into shared caches. Responses are generated per request from the names the proxy
 * subscribed to; refusals (another namespace, a sidecar) are logged and left out, as istiod does.
 */
export class GatewayCredentials implements CredentialLookup {
  private readonly secrets = new Map<string, CredentialMaterial>();
  private readonly logged = new Set<string>();

  constructor(
    private readonly encoder: ResourceCache,
    private readonly log: (msg: string) => void,
  ) {}

  get(namespace: string, name: string): CredentialMaterial | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  /** Stores a credential; true when its material changed (a push is due). */
  put(s: StoredSecret): boolean {
    const key = `${s.namespace}/${s.name}`;
    const prev = this.secrets.get(key);
    const next: CredentialMaterial = { namespace: s.namespace, name: s.name, certChain: s.certChain, privateKey: s.privateKey, caCert: s.caCert };
    if (prev && prev.certChain === next.certChain && prev.privateKey === next.privateKey && prev.caCert === next.caCert) return false;
    this.secrets.set(key, next);
    return true;
  }

  delete(namespace: string, name: string): boolean {
    return this.secrets.delete(`${namespace}/${name}`);
  }

  get count(): number {
    return this.secrets.size;
  }

  /** The SDS resources a proxy subscribed to and may read. */
  current(proxy: ProxyNode, names: readonly string[] | undefined): XdsResource[] {
    const r = credentialSecretResources(this, proxy, names ?? []);
    for (const n of r.denied) this.once(proxy, n, `SDS: proxy ${proxy.id} (${proxy.type}, namespace ${proxy.namespace}, identity ${proxy.peerIdentity?.uri ?? 'none: not on the mutual-TLS port'}) may not read ${n}: only gateways read credentials, only of their own namespace, with a verified identity there; left out`);
    for (const n of r.missing) this.once(proxy, n, `SDS: ${n} requested by ${proxy.id} does not exist in namespace ${proxy.namespace} (meshctl create secret -n ${proxy.namespace}); left out until it does`);
    return r.resources;
  }

  /**
   * What the debug endpoints show (config_dump): the same resources with every private key
   * replaced by `[redacted]`, as Envoy's own config_dump redacts secrets.
   */
  redacted(proxy: ProxyNode, names: readonly string[] | undefined): XdsResource[] {
    return this.current(proxy, names).map((r) => {
      const body = r.body as Secret;
      return body.tlsCertificate ? { ...r, body: { ...body, tlsCertificate: { ...body.tlsCertificate, privateKey: { inlineString: '[redacted]' } } } } as XdsResource : r;
    });
  }

  generated(proxy: ProxyNode, names: readonly string[] | undefined): Generated {
    return new Generated(this.current(proxy, names).map((r) => this.encoder.encode(r)));
  }

  private once(proxy: ProxyNode, name: string, msg: string): void {
    const key = `${proxy.id}\0${name}`;
    if (this.logged.has(key)) return;
    if (this.logged.size >= MAX_LOGGED) this.logged.clear();
    this.logged.add(key);
    this.log(msg);
  }
}
