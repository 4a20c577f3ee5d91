import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';

/**
 * `istio.type.v1beta1.PolicyTargetReference`: binds a security policy to a Gateway API resource
 * (a Gateway or a Service for waypoints) instead of a workload selector.
 * https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
export interface PolicyTargetReference {
  group?: string;
  kind: string;
  name: string;
  /** Must equal the policy's own namespace when set (cross-namespace references are not allowed). */
  namespace?: string;
}

export const policyTargetReferenceSchema: z.ZodType<PolicyTargetReference> = z.strictObject({
  group: z.string().max(253).optional(),
  kind: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  namespace: z.string().optional(),
} satisfies ShapeOf<PolicyTargetReference>);
