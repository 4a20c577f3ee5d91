import type { AnyConfig } from '@mizzen/config-api';

/**
 * Deterministic precedence among configs for the same host: oldest first (Istio orders by
 * creation time), then namespace/name, so generated output is stable.
 */
export function compareConfigs(a: AnyConfig, b: AnyConfig): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
