/**
 * A Map bounded to `max` entries that forgets the least recently used one first (a Map keeps
 * insertion order, so a hit is moved to the end). Counts hits and misses for /metrics and tests.
 */
export class BoundedLru<K, V> {
  private readonly entries = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly max: number) {}

  /** The cached value for `key`, or `make()`'s, remembered. */
  getOrCreate(key: K, make: () => V): V {
    let value = this.entries.get(key);
    if (value !== undefined) {
      this.hits++;
      this.entries.delete(key);
    } else {
      this.misses++;
      value = make();
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    }
    this.entries.set(key, value);
    return value;
  }
}
