import type { Duration } from './wkt';

/** Milliseconds to google.protobuf.Duration (negative durations keep seconds and nanos same-signed). */
export function durationFromMs(ms: number): Duration {
  if (!Number.isFinite(ms)) throw new RangeError(`durationFromMs: ${ms} is not a finite number`);
  const totalNanos = Math.round(ms * 1e6);
  const seconds = Math.trunc(totalNanos / 1e9) || 0; // no -0
  const nanos = totalNanos - seconds * 1e9;
  return nanos === 0 ? { seconds } : { seconds, nanos };
}

/** google.protobuf.Duration to milliseconds; undefined stays undefined. */
export function durationToMs(d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  return Number(d.seconds ?? 0) * 1000 + (d.nanos ?? 0) / 1e6;
}
