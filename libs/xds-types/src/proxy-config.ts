/**
 * Istio's `istio.mesh.v1alpha1.ProxyConfig` as sent over PCDS (the subset Mizzen uses): istiod
 * pushes it to istio-agent, which adds `caCertificatesPem` to the workload trust bundle (ROOTCA)
 * next to the roots its CA returned. Mizzen's Pilot fills it with Citadel's trust bundle, so a
 * new root reaches every proxy before any certificate under it is issued.
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#ProxyConfig
 */
export interface ProxyConfig {
  caCertificatesPem?: string[];
}
