/**
 * When to renew: at half the certificate's lifetime, give or take 10 % of that half (jitter, so a
 * fleet issued together does not renew together), as istio-agent's SECRET_GRACE_PERIOD_RATIO 0.5
 * with jitter. The lifetime counts from when we got it, not from notBefore: Citadel backdates
 * notBefore by a minute for clock skew, which would make a short-lived certificate look half
 * spent on arrival. Never negative.
 */
export function renewalDelayMs(notBefore: number, notAfter: number, now: number, rng: () => number = Math.random): number {
  const start = Math.max(notBefore, now);
  const half = (notAfter - start) / 2;
  const jitter = (rng() * 2 - 1) * 0.1 * half;
  return Math.max(0, start + half + jitter - now);
}

/** Retry back-off after `failures` consecutive failures: 1 s doubling up to 60 s, with full jitter in [50 %, 100 %]. */
export function retryDelayMs(failures: number, rng: () => number = Math.random, baseMs = 1000, maxMs = 60_000): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(cap * (0.5 + rng() / 2));
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Go-style durations (`24h`, `1h30m`, `90s`, `500ms`) plus `d`; undefined when unreadable or zero. */
export function parseDurationMs(raw: string): number | undefined {
  const parts = raw.trim().match(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g);
  if (!parts || parts.join('') !== raw.trim()) return undefined;
  const ms = parts.reduce((sum, p) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(p) as RegExpExecArray;
    return sum + Number(m[1]) * UNITS[m[2]];
  }, 0);
  return ms > 0 ? Math.round(ms) : undefined;
}
