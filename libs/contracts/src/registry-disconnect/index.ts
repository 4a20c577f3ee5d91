import { z } from 'zod';
import { type EventContract, zodParser } from '../contract';

/**
 * `mizzen.registry.disconnect.v1`: a proxy's stream to Pilot closed. Galley removes the workload after
 * its grace period unless the proxy reconnects (to any Pilot) before then.
 */
export const disconnectEvent = z.object({
  pilotId: z.string(),
  proxyId: z.string(),
  namespace: z.string(),
  name: z.string(),
});
export type DisconnectEvent = z.infer<typeof disconnectEvent>;

export const RegistryDisconnect: EventContract<DisconnectEvent> = {
  kind: 'event',
  subject: 'mizzen.registry.disconnect.v1',
  event: zodParser(disconnectEvent),
};
