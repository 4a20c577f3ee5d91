import type { Analyzer } from './analyzer';
import { type AnalysisInput, buildContext } from './context/context';
import { type Message, sortMessages } from './message';
import { ANALYZERS } from './registry';

/**
 * Runs every analyzer over the input and returns their messages sorted as istioctl prints them
 * (Error first, then by code and resource) without duplicates. Pure: the same input gives the
 * same output.
 */
export function analyze(input: AnalysisInput, analyzers: readonly Analyzer[] = ANALYZERS): Message[] {
  const ctx = buildContext(input);
  return sortMessages(analyzers.flatMap((a) => a.analyze(ctx)));
}
