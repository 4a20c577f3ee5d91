import type { Labels } from '@mizzen/mesh-model';

/** One resolved endpoint of a service port, as EDS will carry it. */
export interface ResolvedEndpoint {
  address: string;
  port: number;
  labels: Labels;
  /** `region/zone/subzone`, '' when unknown. */
  locality: string;
  weight: number;
  serviceAccount?: string;
}
