import { jwksSources } from '@mizzen/pilot-core';
import type { MeshState } from '../mesh-state/mesh-state';
import type { JwksResolver } from './jwks-resolver';

/**
 * Connects the JWKS resolver to the mesh state, both ways: every new snapshot tells the resolver
 * which key sets its RequestAuthentications need (`jwksSources`), and every key set change goes
 * back into the state as a debounced `jwksEvent`, i.e. a new snapshot and a push through the
 * ordinary path (Istio's resolver `PushFunc` triggers a full push; here only the proxies whose
 * policies use a changed key set get new listeners, see affectedTypes).
 */
export function connectJwksResolver(state: MeshState, resolver: JwksResolver): void {
  state.onUpdate((u) => resolver.track(jwksSources(u.after)));
  resolver.onChange((changed) => state.jwksEvent(resolver.keySets(), changed));
}
