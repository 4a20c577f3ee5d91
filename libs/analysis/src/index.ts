/**
 * `@mizzen/analysis`: Istio's configuration analyzers (`istioctl analyze`) over Mizzen's
 * validated config and service registry, reporting Istio's codes (IST0101, ...) with Istio's
 * levels and wording. Pure: no I/O, no environment.
 * https://istio.io/latest/docs/reference/config/analysis/
 */
export { analyze } from './analyze';
export type { Analyzer } from './analyzer';
export type { AnalysisContext, AnalysisInput } from './context/context';
export { ANALYZERS } from './registry';
export { atLeast, compareMessages, countByLevel, formatMessage, formatResource, LEVELS, sortMessages } from './message';
export type { Code, Level, Message, ResourceRef } from './message';
export { documentationUrl, MESSAGE_TYPES, msg } from './message-types';
export type { MessageType } from './message-types';
export { loadObjects, loadSources, mergeLoaded } from './load/load';
export type { Loaded, Source } from './load/load';
/** The registry records the analysis reads, re-exported for callers that gather them. */
export type { Service, Workload } from '@mizzen/mesh-model';
