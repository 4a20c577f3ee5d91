import { z } from 'zod';
import { stringList, stringMap, uint32 } from '../../common/messages/primitives';
import { serverTLSSchema } from '../../common/messages/server-tls';
import type { ShapeOf } from '../../core/schema-shape';
import type { GatewaySpec, Port, Server } from './types';

export const portSchema: z.ZodType<Port> = z.strictObject({
  number: uint32,
  protocol: z.string(),
  name: z.string(),
  targetPort: uint32.optional(),
} satisfies ShapeOf<Port>);

const serverSchema: z.ZodType<Server> = z.strictObject({
  port: portSchema,
  bind: z.string().optional(),
  hosts: stringList,
  tls: serverTLSSchema.optional(),
  defaultEndpoint: z.string().optional(),
  name: z.string().optional(),
} satisfies ShapeOf<Server>);

export const gatewaySpecSchema: z.ZodType<GatewaySpec> = z.strictObject({
  servers: z.array(serverSchema).optional(),
  selector: stringMap.optional(),
} satisfies ShapeOf<GatewaySpec>);
