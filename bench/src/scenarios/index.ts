import { citadel } from './citadel';
import { convergence } from './convergence';
import { galleyIngestion } from './galley-ingestion';
import type { Scenario } from './scenario';
import { sidecarOverhead } from './sidecar-overhead';

/** Every scenario, in the order a full run takes them. */
export const SCENARIOS: readonly Scenario[] = [sidecarOverhead, convergence, galleyIngestion, citadel];
