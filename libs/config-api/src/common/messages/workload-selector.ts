import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';
import { stringMap } from './primitives';

/** `networking.v1alpha3.WorkloadSelector` (ServiceEntry, Sidecar): pods/VMs by labels, same namespace. */
export interface WorkloadSelector {
  labels?: Record<string, string>;
}

/** `type.v1beta1.WorkloadSelector` (DestinationRule): `matchLabels`, like Kubernetes selectors. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export const workloadSelectorSchema: z.ZodType<WorkloadSelector> = z.strictObject({ labels: stringMap.optional() } satisfies ShapeOf<WorkloadSelector>);

export const labelSelectorSchema: z.ZodType<LabelSelector> = z.strictObject({ matchLabels: stringMap.optional() } satisfies ShapeOf<LabelSelector>);
