import type { WorkloadSelector } from '../../common/messages/workload-selector';
import type { WorkloadEntrySpec } from '../workload-entry/types';

/**
 * ServiceEntry messages in their YAML (protobuf JSON) form.
 * https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export type SELocation = 'MESH_EXTERNAL' | 'MESH_INTERNAL';
export type SEResolution = 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';

export interface ServiceEntrySpec {
  hosts: string[];
  /** Virtual IPs or CIDRs (CIDRs only with NONE/STATIC resolution). */
  addresses?: string[];
  ports?: SEPort[];
  location?: SELocation;
  /** Defaults to NONE. */
  resolution?: SEResolution;
  /** Mutually exclusive with `workloadSelector`. */
  endpoints?: WorkloadEntrySpec[];
  workloadSelector?: WorkloadSelector;
  exportTo?: string[];
  subjectAltNames?: string[];
}

/** Istio `ServicePort` (named SEPort here to avoid clashing with the registry's ServicePort). */
export interface SEPort {
  number: number;
  protocol?: string;
  name: string;
  targetPort?: number;
}
