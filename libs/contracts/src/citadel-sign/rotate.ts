import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';
import { trustBundle } from './trust-bucket';

/**
 * `mizzen.citadel.rotate.v1`: start a root rotation. Citadel creates a new root (and
 * intermediate) and publishes a trust bundle with both roots (the new one `pending`); after the
 * activation delay the new root signs, and the old root is retired after the grace period.
 * Refused when the CA is plugged in (no root key) or a rotation is already under way.
 */
export const rotateRequest = z.strictObject({
  /** How long the old root stays trusted; Citadel's `--root-grace-period` when absent. */
  gracePeriodSeconds: z.number().positive().optional(),
  /** How long the new root is only trusted before it signs; Citadel's `--root-activation-delay` when absent. */
  activationDelaySeconds: z.number().nonnegative().optional(),
  requester: z.string().min(1),
});
export type RotateRequest = z.infer<typeof rotateRequest>;

export const rotateReply = z.object({ bundle: trustBundle });
export type RotateReply = z.infer<typeof rotateReply>;

export const CitadelRotateRoot: RequestContract<RotateRequest, RotateReply> = {
  kind: 'request',
  subject: 'mizzen.citadel.rotate.v1',
  queue: 'citadel',
  request: zodParser(rotateRequest),
  reply: zodParser(rotateReply),
};
