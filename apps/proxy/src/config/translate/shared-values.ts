import { Issues } from './issues';

/**
 * Translated values that many resources repeat identically, built once and shared: Istio gives
 * every route of a sidecar the same retry policy, so a 1000-service mesh held 1000 equal policies
 * (each with two Sets). Keyed by the source message's JSON; a value whose translation raised an
 * issue is not kept (issues name the path they were found at). The config model is never
 * mutated after translation, so sharing is safe. At most `max` values, oldest dropped first.
 */
export class SharedValues<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max = 256) {}

  get(source: unknown, issues: Issues, build: (issues: Issues) => T): T {
    const key = JSON.stringify(source);
    const hit = this.values.get(key);
    if (hit !== undefined) return hit;
    const own = new Issues();
    const value = build(own);
    issues.errors.push(...own.errors);
    issues.warnings.push(...own.warnings);
    if (own.errors.length === 0 && own.warnings.length === 0) {
      if (this.values.size >= this.max) this.values.delete(this.values.keys().next().value as string);
      this.values.set(key, value);
    }
    return value;
  }
}
