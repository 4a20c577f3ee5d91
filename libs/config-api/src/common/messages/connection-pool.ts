import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';
import { duration, int32, uint32 } from './primitives';

/**
 * Istio `ConnectionPoolSettings` (DestinationRule traffic policies, Sidecar inbound pools).
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface ConnectionPoolSettings {
  tcp?: TCPSettings;
  http?: HTTPSettings;
}

export interface TCPKeepalive {
  probes?: number;
  time?: string;
  interval?: string;
}

export interface TCPSettings {
  maxConnections?: number;
  connectTimeout?: string;
  tcpKeepalive?: TCPKeepalive;
  maxConnectionDuration?: string;
  idleTimeout?: string;
}

export type H2UpgradePolicy = 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE';

export interface HTTPSettings {
  http1MaxPendingRequests?: number;
  http2MaxRequests?: number;
  maxRequestsPerConnection?: number;
  maxRetries?: number;
  idleTimeout?: string;
  h2UpgradePolicy?: H2UpgradePolicy;
  useClientProtocol?: boolean;
  maxConcurrentStreams?: number;
}

const tcpKeepaliveSchema: z.ZodType<TCPKeepalive> = z.strictObject({
  probes: uint32.optional(),
  time: duration.optional(),
  interval: duration.optional(),
} satisfies ShapeOf<TCPKeepalive>);

const tcpSettingsSchema: z.ZodType<TCPSettings> = z.strictObject({
  maxConnections: int32.optional(),
  connectTimeout: duration.optional(),
  tcpKeepalive: tcpKeepaliveSchema.optional(),
  maxConnectionDuration: duration.optional(),
  idleTimeout: duration.optional(),
} satisfies ShapeOf<TCPSettings>);

const httpSettingsSchema: z.ZodType<HTTPSettings> = z.strictObject({
  http1MaxPendingRequests: int32.optional(),
  http2MaxRequests: int32.optional(),
  maxRequestsPerConnection: int32.optional(),
  maxRetries: int32.optional(),
  idleTimeout: duration.optional(),
  h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
  useClientProtocol: z.boolean().optional(),
  maxConcurrentStreams: int32.optional(),
} satisfies ShapeOf<HTTPSettings>);

export const connectionPoolSchema: z.ZodType<ConnectionPoolSettings> = z.strictObject({
  tcp: tcpSettingsSchema.optional(),
  http: httpSettingsSchema.optional(),
} satisfies ShapeOf<ConnectionPoolSettings>);
