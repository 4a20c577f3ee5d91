import { TypeUrl } from '@mizzen/xds-types';
import type { ProxyRuntime } from './proxy-runtime';

/** The initial xDS types that must be applied before the proxy is ready. */
export const INITIAL_TYPES: readonly string[] = [TypeUrl.Cluster, TypeUrl.Listener];

/**
 * Envoy's init manager, as a predicate: the initial CDS (with its EDS warmed) and LDS (with its
 * RDS) are applied and every listener is bound (or, without binding, activated).
 */
export function runtimeReady(rt: ProxyRuntime, applied: ReadonlySet<string>): boolean {
  return INITIAL_TYPES.every((t) => applied.has(t)) && rt.clusters.warmingNames().length === 0 && rt.listeners.isReady();
}
