/** What changed between two snapshots, as keys. `full` forces every type for every proxy. */
export interface MeshChange {
  /** `Kind/namespace/name` of changed config resources. */
  configs: ReadonlySet<string>;
  /** Hostnames of changed services. */
  services: ReadonlySet<string>;
  /** `namespace/name` of changed workloads. */
  workloads: ReadonlySet<string>;
  /**
   * Source keys (generators/security/jwks-sources.ts) of key sets Pilot resolved anew: a rotated
   * JWKS reaches the jwt_authn filters (LDS) of the workloads whose RequestAuthentications use it.
   */
  jwks: ReadonlySet<string>;
  full: boolean;
}

export const emptyChange = (): MeshChange => ({ configs: new Set(), services: new Set(), workloads: new Set(), jwks: new Set(), full: false });

export function mergeChanges(a: MeshChange, b: MeshChange): MeshChange {
  return {
    configs: new Set([...a.configs, ...b.configs]),
    services: new Set([...a.services, ...b.services]),
    workloads: new Set([...a.workloads, ...b.workloads]),
    jwks: new Set([...a.jwks, ...b.jwks]),
    full: a.full || b.full,
  };
}
