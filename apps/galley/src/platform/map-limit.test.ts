import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit';

/** A task the test resolves or rejects by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<string>());
    let inFlight = 0;
    let maxInFlight = 0;
    const started: number[] = [];
    const all = mapLimit([0, 1, 2, 3, 4], 2, async (x) => {
      started.push(x);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await gates[x].promise;
      } finally {
        inFlight--;
      }
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].resolve('b');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const [i, g] of gates.entries()) g.resolve('abcde'[i]);
    expect(await all).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(maxInFlight).toBe(2);
  });

  it('starts nothing after a failure, lets the calls in flight finish, then throws the first error', async () => {
    const gates = Array.from({ length: 4 }, () => deferred<number>());
    const finished: number[] = [];
    const started: number[] = [];
    const all = mapLimit([0, 1, 2, 3], 2, async (x) => {
      started.push(x);
      const v = await gates[x].promise;
      finished.push(x);
      return v;
    });
    await tick();
    gates[0].reject(new Error('nats down'));
    let settled = false;
    all.catch(() => (settled = true));
    await tick();
    expect(settled).toBe(false); // 1 is still in flight
    gates[1].resolve(1);
    await expect(all).rejects.toThrow('nats down');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
