import { z } from 'zod';
import { type EventContract, zodParser } from '../contract';

/**
 * `mizzen.pilot.heartbeat.v1`: every few seconds each Pilot lists the registered workloads whose
 * proxies are connected to it. Galley uses it to expire workloads whose proxy vanished without a
 * disconnect (Pilot crashed and the proxy never came back).
 */
export const heartbeatEvent = z.object({
  pilotId: z.string(),
  /** `namespace/name` of each connected registered workload. */
  workloads: z.array(z.string()),
  intervalMs: z.number().int().positive(),
});
export type HeartbeatEvent = z.infer<typeof heartbeatEvent>;

export const PilotHeartbeat: EventContract<HeartbeatEvent> = {
  kind: 'event',
  subject: 'mizzen.pilot.heartbeat.v1',
  event: zodParser(heartbeatEvent),
};
