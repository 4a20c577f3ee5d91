import { type DiscoveryResponseIn, type ResourceIn, decodeAny, encodeAny, wrapAny } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import type { ProxyRuntime } from '../runtime';
import type { XdsMessage } from './ipc-messages';

/** Envoy's order: a worker replaying the current config warms clusters before listeners. */
const REPLAY_ORDER: ReadonlyArray<{ typeUrl: string; wildcard: boolean }> = [
  { typeUrl: TypeUrl.Cluster, wildcard: true },
  { typeUrl: TypeUrl.ClusterLoadAssignment, wildcard: false },
  { typeUrl: TypeUrl.Listener, wildcard: true },
  { typeUrl: TypeUrl.RouteConfiguration, wildcard: false },
];

/** A resource as an encoded `Any`: its received bytes when it has them, else re-encoded. */
const anyOf = (r: ResourceIn): Buffer => (r.encoded ? wrapAny(r.typeUrl, r.encoded) : encodeAny(r.typeUrl, r.body));

/** An applied response as an IPC message: each resource as an encoded `Any`, base64. */
export function xdsMessage(res: DiscoveryResponseIn, subscribed: ReadonlySet<string> | 'wildcard'): XdsMessage {
  return {
    t: 'xds',
    typeUrl: res.typeUrl,
    versionInfo: res.versionInfo,
    subscribed: subscribed === 'wildcard' ? 'wildcard' : [...subscribed].sort(),
    resources: res.resources.map((r) => anyOf(r).toString('base64')),
  };
}

/**
 * The runtime's ACKed config (its config_dump snapshot) as one message per type, for a worker
 * that starts (or restarts) after config arrived: each is the complete current set of its type.
 */
export function snapshotMessages(rt: ProxyRuntime): XdsMessage[] {
  const out: XdsMessage[] = [];
  for (const { typeUrl, wildcard } of REPLAY_ORDER) {
    const t = rt.snapshot.get(typeUrl);
    if (!t.lastUpdated) continue;
    const entries = [...t.resources.values()];
    const subscribed = wildcard ? 'wildcard' : entries.map((e) => e.name).sort();
    out.push({ t: 'xds', typeUrl, versionInfo: t.version, subscribed, resources: entries.map((e) => wrapAny(typeUrl, e.encoded).toString('base64')) });
  }
  return out;
}

/** The response and subscription a message carries, decoded. Throws on undecodable bytes. */
export function decodeXdsMessage(m: XdsMessage): { res: DiscoveryResponseIn; subscribed: ReadonlySet<string> | 'wildcard' } {
  const resources = m.resources.map((b64) => decodeAny(Buffer.from(b64, 'base64')));
  return { res: { versionInfo: m.versionInfo, typeUrl: m.typeUrl, nonce: '', resources }, subscribed: m.subscribed === 'wildcard' ? 'wildcard' : new Set(m.subscribed) };
}
