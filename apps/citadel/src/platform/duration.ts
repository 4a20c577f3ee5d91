const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;

/**
 * Parses a Go-style duration as Istio's flags take them (`24h`, `90m`, `1h30m`, `500ms`, plus `d`
 * for days). Returns milliseconds, or undefined when the text is not a positive duration.
 */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (!rest) return undefined;
  let total = 0;
  while (rest) {
    const m = DURATION_RE.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total > 0 ? Math.round(total) : undefined;
}

/** `86400000` -> `24h`, `5400000` -> `1h30m` (for logs and docs). */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest || !parts.length) parts.push(`${rest}ms`);
  return parts.join('');
}
