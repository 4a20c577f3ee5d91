import type { Cleanup } from '../common/cleanup';
import type { ScenarioResult } from '../report/model';

/** Durations, sizes and switches for one run (full or --quick). */
export interface BenchSettings {
  quick: boolean;
  rounds: number;
  /** Convergence client counts, when given on the command line. */
  clients?: number[];
  /** Take CPU profiles (a separate pass after the measured rounds). */
  profile: boolean;
  /** Commands that could not be found or installed, with the reason. */
  missingTools: ReadonlyMap<string, string>;
  log: (msg: string) => void;
}

/**
 * A scenario, same shape in every folder: `setup.ts` starts what it measures (registered with the
 * cleanup), `run.ts` measures in interleaved rounds, `report.ts` turns raw rounds into tables and
 * headline figures. `budgetMs` bounds the whole scenario; on expiry its processes are stopped.
 */
export interface Scenario {
  name: string;
  title: string;
  budgetMs(s: BenchSettings): number;
  run(s: BenchSettings, cleanup: Cleanup): Promise<ScenarioResult>;
}
