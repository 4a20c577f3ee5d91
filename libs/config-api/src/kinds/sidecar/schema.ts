import { z } from 'zod';
import { connectionPoolSchema } from '../../common/messages/connection-pool';
import { destinationSchema } from '../../common/messages/destination';
import { stringList, uint32 } from '../../common/messages/primitives';
import { serverTLSSchema } from '../../common/messages/server-tls';
import { workloadSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import type { IstioEgressListener, IstioIngressListener, OutboundTrafficPolicy, SidecarPort, SidecarSpec } from './types';

const captureMode = z.enum(['DEFAULT', 'IPTABLES', 'NONE']);

const sidecarPortSchema: z.ZodType<SidecarPort> = z.strictObject({
  number: uint32.optional(),
  protocol: z.string().optional(),
  name: z.string().optional(),
  targetPort: uint32.optional(),
} satisfies ShapeOf<SidecarPort>);

const ingressSchema: z.ZodType<IstioIngressListener> = z.strictObject({
  port: sidecarPortSchema,
  bind: z.string().optional(),
  captureMode: captureMode.optional(),
  defaultEndpoint: z.string().optional(),
  tls: serverTLSSchema.optional(),
  connectionPool: connectionPoolSchema.optional(),
} satisfies ShapeOf<IstioIngressListener>);

const egressSchema: z.ZodType<IstioEgressListener> = z.strictObject({
  port: sidecarPortSchema.optional(),
  bind: z.string().optional(),
  captureMode: captureMode.optional(),
  hosts: stringList,
} satisfies ShapeOf<IstioEgressListener>);

const outboundSchema: z.ZodType<OutboundTrafficPolicy> = z.strictObject({
  mode: z.enum(['REGISTRY_ONLY', 'ALLOW_ANY']).optional(),
  egressProxy: destinationSchema.optional(),
} satisfies ShapeOf<OutboundTrafficPolicy>);

export const sidecarSpecSchema: z.ZodType<SidecarSpec> = z.strictObject({
  workloadSelector: workloadSelectorSchema.optional(),
  ingress: z.array(ingressSchema).optional(),
  egress: z.array(egressSchema).optional(),
  inboundConnectionPool: connectionPoolSchema.optional(),
  outboundTrafficPolicy: outboundSchema.optional(),
} satisfies ShapeOf<SidecarSpec>);
