import { z } from 'zod';
import { stringMap, uint32 } from '../../common/messages/primitives';
import type { ShapeOf } from '../../core/schema-shape';
import type { WorkloadEntrySpec } from './types';

export const workloadEntrySpecSchema: z.ZodType<WorkloadEntrySpec> = z.strictObject({
  address: z.string().max(256).optional(),
  ports: z.record(z.string(), uint32).optional(),
  labels: stringMap.optional(),
  network: z.string().max(2048).optional(),
  locality: z.string().max(2048).optional(),
  weight: uint32.optional(),
  serviceAccount: z.string().max(253).optional(),
} satisfies ShapeOf<WorkloadEntrySpec>);
