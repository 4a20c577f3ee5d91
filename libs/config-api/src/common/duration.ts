/**
 * Parses a duration as Istio accepts it in YAML: the protobuf JSON form (`"1.5s"`) and Go's
 * `time.ParseDuration` form that Istio's CRD validation (`duration(self)`) also accepts
 * (`"100ms"`, `"1m"`, `"1h30m"`, `"10us"`). Returns milliseconds (possibly fractional), or
 * undefined when `s` is not a duration. Negative durations are rejected: no Istio field takes one.
 * https://protobuf.dev/programming-guides/json/ (Duration), https://pkg.go.dev/time#ParseDuration
 */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  if (s === '' || !DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]];
  return Number.isFinite(total) ? total : undefined;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const NUM = '(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const UNIT = '(?:ns|us|µs|μs|ms|s|m|h)';
const DURATION = new RegExp(`^(?:${NUM}${UNIT})+$`);
const PART = new RegExp(`(${NUM})(${UNIT})`, 'g');

/** Istio's `ValidateDuration`: at least 1ms and a whole number of milliseconds. */
export function checkDuration(s: string): string | undefined {
  const ms = parseDuration(s);
  if (ms === undefined) return `invalid duration ${JSON.stringify(s)} (use e.g. "1s", "100ms", "1.5s", "1m")`;
  if (ms < 1) return 'duration must be greater than 1ms';
  if (Math.abs(ms - Math.round(ms)) > 1e-9) return 'only durations to ms precision are supported';
  return undefined;
}
