/**
 * Envoy's priority levels: how much of the traffic each priority takes given its health, with the
 * overprovisioning factor, degraded hosts, and panic mode. Percentages are integers as in Envoy.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/priority
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/panic_threshold
 */

/** Host counts of one priority level. */
export interface LevelCounts {
  total: number;
  healthy: number;
  degraded: number;
}

export interface PriorityLoads {
  /** Percent of traffic to healthy hosts of each priority. */
  healthy: number[];
  /** Percent of traffic to degraded hosts of each priority. */
  degraded: number[];
  /** Per priority: in panic (balance over every host of the level, whatever its health). */
  panic: boolean[];
}

/** Availability of a level: min(100, factor * hosts / total), as an integer percent. */
function availability(count: number, total: number, factor: number): number {
  return total === 0 ? 0 : Math.min(100, Math.floor((Math.round(factor * 100) * count) / total));
}

/** Assigns load to levels in order, each as much as its share of the total availability allows. */
function distribute(out: number[], avail: readonly number[], load: number, totalAvailability: number): { first: number; remaining: number } {
  let first = -1;
  for (let i = 0; i < avail.length; i++) {
    if (first < 0 && avail[i] > 0) first = i;
    out[i] = Math.min(load, Math.floor((avail[i] * 100) / totalAvailability));
    load -= out[i];
  }
  return { first, remaining: load };
}

/**
 * Priority loads as Envoy's LoadBalancerBase computes them. `panicThreshold` is a fraction (0
 * disables panic). When every level is in panic, traffic is spread over levels by host count.
 */
export function priorityLoads(levels: readonly LevelCounts[], factor: number, panicThreshold: number): PriorityLoads {
  const n = levels.length;
  const healthy = new Array<number>(n).fill(0);
  const degraded = new Array<number>(n).fill(0);
  const health = levels.map((l) => availability(l.healthy, l.total, factor));
  const degradedAvail = levels.map((l) => availability(l.degraded, l.total, factor));
  const panic = levels.map((l) => {
    const pct = l.total === 0 ? 0 : (100 * (l.healthy + l.degraded)) / l.total;
    return pct < panicThreshold * 100;
  });
  const total = Math.min(100, [...health, ...degradedAvail].reduce((a, b) => a + b, 0));
  if (total > 0) {
    const h = distribute(healthy, health, 100, total);
    const d = distribute(degraded, degradedAvail, h.remaining, total);
    if (d.remaining > 0) {
      if (h.first >= 0) healthy[h.first] += d.remaining;
      else degraded[d.first] += d.remaining;
    }
  }
  if (n > 0 && panic.every(Boolean)) totalPanic(levels, healthy, degraded);
  else if (total === 0 && n > 0) healthy[0] = 100;
  return { healthy, degraded, panic };
}

/** Every level in panic: load in proportion to host counts, remainder to the first non-empty level. */
function totalPanic(levels: readonly LevelCounts[], healthy: number[], degraded: number[]): void {
  const hosts = levels.reduce((a, l) => a + l.total, 0);
  degraded.fill(0);
  if (hosts === 0) {
    healthy.fill(0);
    healthy[0] = 100;
    return;
  }
  let assigned = 0;
  for (let i = 0; i < levels.length; i++) {
    healthy[i] = Math.floor((100 * levels[i].total) / hosts);
    assigned += healthy[i];
  }
  const first = levels.findIndex((l) => l.total > 0);
  healthy[first] += 100 - assigned;
}

/**
 * Picks a priority from a number in [0, 100) (random, or a request hash mod 100): healthy loads
 * first, then degraded ones, as Envoy's choosePriority walks them.
 */
export function choosePriority(loads: PriorityLoads, r: number): { priority: number; degraded: boolean } {
  const x = (r % 100) + 1;
  let acc = 0;
  for (let p = 0; p < loads.healthy.length; p++) {
    acc += loads.healthy[p];
    if (x <= acc) return { priority: p, degraded: false };
  }
  for (let p = 0; p < loads.degraded.length; p++) {
    acc += loads.degraded[p];
    if (x <= acc) return { priority: p, degraded: true };
  }
  return { priority: 0, degraded: false };
}
