import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';
import { servicePort, workload } from '../schemas';

/**
 * `mizzen.registry.connect.v1`: Pilot reports a workload whose proxy connected (Istio's WorkloadEntry
 * auto-registration). Galley writes the workload, and the service it declares, to the registry.
 */
export const connectRequest = z.object({
  pilotId: z.string(),
  proxyId: z.string(),
  workload,
  /** The service the workload implements (local mode), like a Kubernetes Service selecting it. */
  service: z.object({ name: z.string(), ports: z.array(servicePort) }).optional(),
});
export type ConnectRequest = z.infer<typeof connectRequest>;

export const connectReply = z.object({ ok: z.boolean(), error: z.string().optional() });

export const RegistryConnect: RequestContract<ConnectRequest, z.infer<typeof connectReply>> = {
  kind: 'request',
  subject: 'mizzen.registry.connect.v1',
  queue: 'galley',
  request: zodParser(connectRequest),
  reply: zodParser(connectReply),
};
