import { hostsOverlap } from '@mizzen/mesh-model';

/** Istio `host.Name.Matches`: two (possibly wildcard) hosts select a common name. */
export const hostsMatch = hostsOverlap;

/** Istio `host.Name.SubsetOf`: every name `a` selects is also selected by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (b.startsWith('*')) return a.startsWith('*') ? a.slice(1).endsWith(b.slice(1)) : a.endsWith(b.slice(1));
  if (a.startsWith('*')) return false;
  return a === b;
}
