import { z } from 'zod';
import { labelSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import type { PeerAuthenticationMutualTLS, PeerAuthenticationSpec } from './types';

const mutualTLSSchema: z.ZodType<PeerAuthenticationMutualTLS> = z.strictObject({
  mode: z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']).optional(),
} satisfies ShapeOf<PeerAuthenticationMutualTLS>);

export const peerAuthenticationSpecSchema: z.ZodType<PeerAuthenticationSpec> = z.strictObject({
  selector: labelSelectorSchema.optional(),
  mtls: mutualTLSSchema.optional(),
  portLevelMtls: z.record(z.string(), mutualTLSSchema).optional(),
} satisfies ShapeOf<PeerAuthenticationSpec>);
