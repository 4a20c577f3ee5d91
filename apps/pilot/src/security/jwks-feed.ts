import { jwksSources } from '@mizzen/pilot-core';
import type { MeshState } from '../mesh-state/mesh-state';
import type { JwksResolver } from './jwks-resolver';

/**
 * Connects the JWKS resolver to the mesh state, both ways:
 * - before a snapshot is published, the resolver tracks the key sets its RequestAuthentications
 *   need (`jwksSources`) and the publication waits for the first fetch of any it does not hold
 *   (bounded by the rule timeout), as Istio fetches inside the push; a new policy goes out with
 *   its keys, not with the reject-all JWKS first;
 * - every later key set change (rotation, refresh, eviction) goes back into the state as a
 *   debounced `jwksEvent`, i.e. a new snapshot and a push through the ordinary path (Istio's
 *   resolver `PushFunc`; here only the proxies whose policies use a changed key set get new
 *   listeners, see affectedTypes).
 */
export function connectJwksResolver(state: MeshState, resolver: JwksResolver): void {
  state.holdBeforePublish((candidate) => resolver.firstFetches(jwksSources(candidate)));
  state.onUpdate((u) => resolver.track(jwksSources(u.after)));
  resolver.onChange((changed) => state.jwksEvent(resolver.keySets(), changed));
}
