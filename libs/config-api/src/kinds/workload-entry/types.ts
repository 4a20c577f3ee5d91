/**
 * WorkloadEntry (a VM or other non-Kubernetes workload), also the shape of ServiceEntry endpoints.
 * https://istio.io/latest/docs/reference/config/networking/workload-entry/
 */
export interface WorkloadEntrySpec {
  /** IP, DNS name (DNS ServiceEntries) or `unix:///path`. Required unless `network` is set. */
  address?: string;
  /** Port name (as in the service) -> port on this workload. */
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  network?: string;
  /** `region/zone/subzone`. */
  locality?: string;
  weight?: number;
  serviceAccount?: string;
}
