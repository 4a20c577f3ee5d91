import type { Destination, VirtualService } from '@mizzen/config-api';

/** A destination in a VirtualService with its field path (Istio's `AnnotatedDestination`). */
export interface AnnotatedDestination {
  destination: Destination;
  path: string;
}

/** Every route destination: `http[].route[]`, `tcp[].route[]`, `tls[].route[]`. */
export function routeDestinations(vs: VirtualService): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  const collect = (kind: 'http' | 'tcp' | 'tls', rules: readonly { route?: readonly { destination: Destination }[] }[] | undefined): void =>
    (rules ?? []).forEach((rule, i) =>
      (rule.route ?? []).forEach((r, j) => out.push({ destination: r.destination, path: `spec.${kind}[${i}].route[${j}].destination` })),
    );
  collect('http', vs.spec.http);
  collect('tcp', vs.spec.tcp);
  collect('tls', vs.spec.tls);
  return out;
}

/** Every mirror destination: `http[].mirror` and `http[].mirrors[].destination`. */
export function mirrorDestinations(vs: VirtualService): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  (vs.spec.http ?? []).forEach((rule, i) => {
    if (rule.mirror) out.push({ destination: rule.mirror, path: `spec.http[${i}].mirror` });
    (rule.mirrors ?? []).forEach((m, j) => out.push({ destination: m.destination, path: `spec.http[${i}].mirrors[${j}].destination` }));
  });
  return out;
}
