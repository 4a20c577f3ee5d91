import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';
import { double, uint32 } from './primitives';

/** Istio `PortSelector`: the port of the destination service. */
export interface PortSelector {
  number?: number;
}

/**
 * Istio `Destination`: a service in the registry (short names resolve in the config's namespace),
 * optionally a subset declared in a DestinationRule and a port.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

/** Istio `Percent`: a percentage in [0.0, 100.0]. */
export interface Percent {
  value?: number;
}

export const portSelectorSchema: z.ZodType<PortSelector> = z.strictObject({ number: uint32.optional() } satisfies ShapeOf<PortSelector>);

export const destinationSchema: z.ZodType<Destination> = z.strictObject({
  host: z.string(),
  subset: z.string().optional(),
  port: portSelectorSchema.optional(),
} satisfies ShapeOf<Destination>);

export const percentSchema: z.ZodType<Percent> = z.strictObject({ value: double.optional() } satisfies ShapeOf<Percent>);
