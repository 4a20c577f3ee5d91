import { describe, expect, it } from 'vitest';
import { privateMb, rssMb } from './proc-stats';

describe('proc-stats memory', () => {
  it('private memory is part of RSS: RSS without pages shared with other processes', () => {
    const rss = rssMb(process.pid);
    const own = privateMb(process.pid);
    expect(own).toBeGreaterThan(0);
    // Every node process maps the same executable, so some of this one's RSS is shared.
    expect(own).toBeLessThan(rss);
  });

  it('is NaN for a process that does not exist', () => {
    expect(privateMb(2 ** 22 + 1)).toBeNaN();
  });
});
