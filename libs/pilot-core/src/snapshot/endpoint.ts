import type { Labels, Workload } from '@mizzen/mesh-model';

/** One resolved endpoint of a service port, as EDS will carry it. */
export interface ResolvedEndpoint {
  address: string;
  port: number;
  labels: Labels;
  /** `region/zone/subzone`, '' when unknown. */
  locality: string;
  weight: number;
  serviceAccount?: string;
  /** `istio`: the endpoint has a sidecar and accepts Istio mTLS (auto mTLS picks TLS for it). */
  tlsMode?: 'istio';
}

/**
 * The label Istio's injector puts on pods with a sidecar; its `istio` value marks an endpoint
 * that accepts mesh mTLS. https://istio.io/latest/docs/reference/config/labels/#SecurityTlsMode
 */
export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

/**
 * Whether a workload runs a sidecar: those registered by their proxy on connect (local mode), or
 * any workload (pod, WorkloadEntry, ServiceEntry endpoint) labelled `security.istio.io/tlsMode: istio`.
 */
export function hasIstioSidecar(source: Workload['source'] | undefined, labels: Labels | undefined): boolean {
  return source?.kind === 'Registration' || labels?.[TLS_MODE_LABEL] === 'istio';
}
