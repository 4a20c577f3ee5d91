import { waitFor } from '@mizzen/testkit';
import { TypeUrl } from '@mizzen/xds-types';
import type { Cleanup } from '../../common/cleanup';
import { ControlPlane } from '../../control-plane/control-plane';
import { SimClient } from '../convergence/sim-client';
import type { BenchSettings } from '../scenario';

export interface IngestionEnv {
  cp: ControlPlane;
  /** A connected simulated sidecar (wildcard CDS): "visible to a proxy" is its CDS. */
  client: SimClient;
}

/** NATS + Galley + Pilot (empty registry) and one simulated sidecar subscribed to CDS. */
export async function setupIngestion(s: BenchSettings, cleanup: Cleanup): Promise<IngestionEnv> {
  const cp = await ControlPlane.start(cleanup, { profileGalley: s.profile, profilePilot: s.profile });
  const client = new SimClient({ index: 1, target: cp.pilotTarget, namespace: 'default', eds: 'none' });
  client.start();
  cleanup.add('ingestion client', () => client.stop());
  await waitFor(() => client.synced && client.resourceCounts.has(TypeUrl.Cluster), { timeoutMs: 30_000, message: 'the observing client never synced' });
  return { cp, client };
}
