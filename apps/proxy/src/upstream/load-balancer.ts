import type { LbPolicy, SlowStartSettings } from '../config/model';
import type { Rng } from '../routing';

/** What a load balancer needs of a host. */
export interface LbHost {
  readonly key: string;
  readonly weight: number;
  readonly active: number;
  /** When the host joined the cluster (slow start); absent = never in slow start. */
  readonly addedAtMs?: number;
}

export interface LoadBalancer<H extends LbHost> {
  /** One host, or undefined when the set is empty. */
  pick(): H | undefined;
}

/**
 * Weighted round robin. With equal weights it is a plain rotation; with unequal weights it is the
 * smooth weighted round robin (nginx) that, like Envoy's EDF scheduler, interleaves hosts in
 * proportion to their weights rather than in bursts.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#weighted-round-robin
 */
export class RoundRobinLb<H extends LbHost> implements LoadBalancer<H> {
  private next = 0;
  private readonly current: number[];
  private readonly uniform: boolean;
  private readonly total: number;

  constructor(
    private readonly hosts: readonly H[],
    start = 0,
  ) {
    this.current = hosts.map(() => 0);
    this.uniform = hosts.every((h) => h.weight === hosts[0]?.weight);
    this.total = hosts.reduce((n, h) => n + h.weight, 0);
    this.next = hosts.length ? start % hosts.length : 0;
  }

  pick(): H | undefined {
    if (!this.hosts.length) return undefined;
    if (this.uniform) return this.hosts[this.next++ % this.hosts.length];
    let best = 0;
    for (let i = 0; i < this.hosts.length; i++) {
      this.current[i] += this.hosts[i].weight;
      if (this.current[i] > this.current[best]) best = i;
    }
    this.current[best] -= this.total;
    return this.hosts[best];
  }
}

/**
 * Least request: with equal weights, the power of `choiceCount` random choices picks the host with
 * fewest active requests; with unequal weights, hosts are scored weight / (active + 1) (Envoy's
 * active_request_bias 1.0).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#weighted-least-request
 */
export class LeastRequestLb<H extends LbHost> implements LoadBalancer<H> {
  private readonly uniform: boolean;

  constructor(
    private readonly hosts: readonly H[],
    private readonly rng: Rng,
    private readonly choiceCount = 2,
  ) {
    this.uniform = hosts.every((h) => h.weight === hosts[0]?.weight);
  }

  pick(): H | undefined {
    if (this.hosts.length <= 1) return this.hosts[0];
    if (this.uniform) return this.pickP2c();
    let best: H | undefined;
    let bestScore = -1;
    for (const h of this.hosts) {
      const score = h.weight / (h.active + 1);
      if (score > bestScore) [best, bestScore] = [h, score];
    }
    return best;
  }

  private pickP2c(): H {
    let best = this.hosts[Math.floor(this.rng() * this.hosts.length)];
    for (let i = 1; i < this.choiceCount; i++) {
      const h = this.hosts[Math.floor(this.rng() * this.hosts.length)];
      if (h.active < best.active) best = h;
    }
    return best;
  }
}

/** Weighted random. */
export class RandomLb<H extends LbHost> implements LoadBalancer<H> {
  private readonly total: number;

  constructor(
    private readonly hosts: readonly H[],
    private readonly rng: Rng,
  ) {
    this.total = hosts.reduce((n, h) => n + h.weight, 0);
  }

  pick(): H | undefined {
    let r = this.rng() * this.total;
    for (const h of this.hosts) {
      r -= h.weight;
      if (r < 0) return h;
    }
    return this.hosts[this.hosts.length - 1];
  }
}

/**
 * Slow start over ROUND_ROBIN or LEAST_REQUEST: while some host is younger than the window, picks
 * use effective weights weight x max(minWeightPercent / 100, (age / window) ^ (1 / aggression)):
 * weighted random for round robin (the proportions of Envoy's EDF schedule), the weighted
 * least-request score for least request. Once every host has aged past the window it is the plain
 * balancer again.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/slow_start
 */
export class SlowStartLb<H extends LbHost> implements LoadBalancer<H> {
  /** After this instant no host is in slow start. */
  private readonly warmAt: number;

  constructor(
    private readonly base: LoadBalancer<H>,
    private readonly hosts: readonly H[],
    private readonly policy: 'ROUND_ROBIN' | 'LEAST_REQUEST',
    private readonly s: SlowStartSettings,
    private readonly rng: Rng,
    private readonly now: () => number = Date.now,
  ) {
    this.warmAt = Math.max(-Infinity, ...hosts.map((h) => (h.addedAtMs ?? -Infinity) + s.windowMs));
  }

  /** The weight factor of a host `ageMs` old. */
  factor(ageMs: number): number {
    if (ageMs >= this.s.windowMs) return 1;
    const ramp = Math.pow(Math.max(0, ageMs) / this.s.windowMs, 1 / this.s.aggression);
    return Math.max(this.s.minWeightPercent / 100, ramp);
  }

  pick(): H | undefined {
    const now = this.now();
    if (now >= this.warmAt || this.hosts.length <= 1) return this.base.pick();
    const weights = this.hosts.map((h) => h.weight * (h.addedAtMs === undefined ? 1 : this.factor(now - h.addedAtMs)));
    if (this.policy === 'LEAST_REQUEST') {
      let best = 0;
      for (let i = 1; i < this.hosts.length; i++) if (weights[i] / (this.hosts[i].active + 1) > weights[best] / (this.hosts[best].active + 1)) best = i;
      return this.hosts[best];
    }
    let r = this.rng() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < this.hosts.length; i++) if ((r -= weights[i]) < 0) return this.hosts[i];
    return this.hosts[this.hosts.length - 1];
  }
}

export function createLoadBalancer<H extends LbHost>(policy: LbPolicy, hosts: readonly H[], rng: Rng, choiceCount = 2, slowStart?: SlowStartSettings): LoadBalancer<H> {
  const base = plainLoadBalancer(policy, hosts, rng, choiceCount);
  return slowStart && (policy === 'ROUND_ROBIN' || policy === 'LEAST_REQUEST') ? new SlowStartLb(base, hosts, policy, slowStart, rng) : base;
}

function plainLoadBalancer<H extends LbHost>(policy: LbPolicy, hosts: readonly H[], rng: Rng, choiceCount: number): LoadBalancer<H> {
  switch (policy) {
    case 'ROUND_ROBIN':
      // Envoy starts each round robin at a random index so proxies do not move in lock step.
      return new RoundRobinLb(hosts, Math.floor(rng() * Math.max(hosts.length, 1)));
    case 'LEAST_REQUEST':
      return new LeastRequestLb(hosts, rng, choiceCount);
    case 'RANDOM':
      return new RandomLb(hosts, rng);
    case 'RING_HASH':
    case 'MAGLEV':
      // Hash policies have their own balancers (hash-lb.ts); a plain pick has no hash to use.
      return new RandomLb(hosts, rng);
  }
}
