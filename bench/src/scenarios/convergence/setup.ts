import { waitFor } from '@mizzen/testkit';
import { type Cleanup, sleep } from '../../common/cleanup';
import { ControlPlane } from '../../control-plane/control-plane';
import { type RegistryFixture, registryFixture } from '../../control-plane/registry-fixture';
import type { BenchSettings } from '../scenario';

export const REGISTRY_SERVICES = 1000;
export const WORKLOADS_PER_SERVICE = 2;
/**
 * Simulated sidecars subscribe EDS for these services only (a Sidecar-scoped proxy calling ten
 * services): Pilot's EDS generation costs ~1 CPU s per client subscribed to all 1000 (see the
 * report), which would make thousands of clients take hours. Churn rewrites their workloads.
 */
export const EDS_SERVICES = 10;

export interface ConvergenceEnv {
  cp: ControlPlane;
  fixture: RegistryFixture;
  /** Hostnames whose clusters the simulated sidecars subscribe in EDS. */
  edsHosts: string[];
  /** Pilot's RSS with the registry loaded and no client connected. */
  idleRssMb: number;
  loadSeconds: number;
}

/** NATS + Galley + Pilot, and a registry of 1000 services (2 workloads each) written to KV. */
export async function setupConvergence(s: BenchSettings, cleanup: Cleanup): Promise<ConvergenceEnv> {
  const cp = await ControlPlane.start(cleanup, { profilePilot: s.profile });
  const fixture = registryFixture(REGISTRY_SERVICES, WORKLOADS_PER_SERVICE);
  const t0 = Date.now();
  await cp.putServices(fixture.services, fixture.workloads);
  await waitFor(async () => (await cp.snapshotInfo()).snapshotServices >= REGISTRY_SERVICES, { timeoutMs: 60_000, intervalMs: 100, message: 'Pilot never saw the registry' });
  const loadSeconds = (Date.now() - t0) / 1000;
  await sleep(2000);
  return { cp, fixture, edsHosts: fixture.services.slice(0, EDS_SERVICES).map((x) => x.hostname), idleRssMb: cp.pilot.group().rssMb(), loadSeconds };
}
