import { parseDuration } from '@mizzen/config-api';
import { type Duration, durationFromMs } from '@mizzen/xds-types';

/** Istio duration string (already validated by Galley) to an Envoy Duration; undefined if absent. */
export function toDuration(s: string | undefined): Duration | undefined {
  if (s === undefined) return undefined;
  const ms = parseDuration(s);
  return ms === undefined ? undefined : durationFromMs(ms);
}

export const ZERO_DURATION: Duration = { seconds: 0 };
