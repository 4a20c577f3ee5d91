import type { RoundStat } from '../common/stats';

/** `0.52 (0.48-0.60)`: median, then min-max over rounds when there were several. */
export function fmtStat(s: RoundStat | undefined, digits = 2): string {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  const n = (v: number) => fmtNum(v, digits);
  const finite = s.values.filter((v) => Number.isFinite(v)).length;
  return finite > 1 ? `${n(s.median)} (${n(s.min)}–${n(s.max)})` : n(s.median);
}

export function fmtNum(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(digits);
}

export const single = (v: number): RoundStat => ({ median: v, min: v, max: v, values: [v] });
