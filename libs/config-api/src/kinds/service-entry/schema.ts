import { z } from 'zod';
import { stringList, uint32 } from '../../common/messages/primitives';
import { workloadSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import { workloadEntrySpecSchema } from '../workload-entry/schema';
import type { SEPort, ServiceEntrySpec } from './types';

const portSchema: z.ZodType<SEPort> = z.strictObject({
  number: uint32,
  protocol: z.string().max(256).optional(),
  name: z.string().max(256),
  targetPort: uint32.optional(),
} satisfies ShapeOf<SEPort>);

export const serviceEntrySpecSchema: z.ZodType<ServiceEntrySpec> = z.strictObject({
  hosts: z.array(z.string()).max(256),
  addresses: z.array(z.string().max(64)).max(256).optional(),
  ports: z.array(portSchema).max(256).optional(),
  location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
  resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']).optional(),
  endpoints: z.array(workloadEntrySpecSchema).max(4096).optional(),
  workloadSelector: workloadSelectorSchema.optional(),
  exportTo: stringList.optional(),
  subjectAltNames: stringList.optional(),
} satisfies ShapeOf<ServiceEntrySpec>);
