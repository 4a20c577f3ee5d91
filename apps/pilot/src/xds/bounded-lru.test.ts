import { describe, expect, it } from 'vitest';
import { BoundedLru } from './bounded-lru';

describe('BoundedLru', () => {
  it('makes a value once, counts hits, and forgets the least recently used past its bound', () => {
    const lru = new BoundedLru<string, number>(2);
    let made = 0;
    const get = (k: string) => lru.getOrCreate(k, () => ++made);
    expect([get('a'), get('b'), get('a')]).toEqual([1, 2, 1]);
    get('c'); // evicts b (a was used more recently)
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(4);
    expect([lru.hits, lru.misses]).toEqual([2, 4]);
  });
});
