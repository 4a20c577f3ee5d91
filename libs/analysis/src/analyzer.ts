import type { AnalysisContext } from './context/context';
import type { Code, Message } from './message';

/**
 * One analysis, as Istio's `analysis.Analyzer`: a pure function of the context returning its
 * findings. Each analyzer lives in its own module under `analyzers/` and is listed once in
 * `registry.ts`.
 */
export interface Analyzer {
  /** Istio's analyzer name where there is one, e.g. `virtualservice.DestinationHostAnalyzer`. */
  readonly name: string;
  readonly description: string;
  /** The codes it may report. */
  readonly codes: readonly Code[];
  analyze(ctx: AnalysisContext): Message[];
}
