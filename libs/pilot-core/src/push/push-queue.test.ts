import { describe, expect, it } from 'vitest';
import { PushQueue, type PushQueueOptions, type PushScheduler } from './push-queue';

/** A hand-driven event loop: deferred callbacks run only when `turn()` is called; time is fake. */
class FakeLoop implements PushScheduler {
  t = 0;
  deferred: Array<() => void> = [];
  timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.next;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  defer = (fn: () => void) => {
    this.deferred.push(fn);
  };
  /** Runs the callbacks deferred so far (one event-loop turn); returns how many ran. */
  turn(): number {
    const batch = this.deferred;
    this.deferred = [];
    for (const fn of batch) fn();
    return batch.length;
  }
  /** Turns until nothing is deferred; returns the number of turns. */
  runAll(max = 1000): number {
    let turns = 0;
    while (this.deferred.length && turns < max) {
      this.turn();
      turns++;
    }
    return turns;
  }
  advance(ms: number): void {
    this.t += ms;
    for (const x of this.timers.filter((y) => y.at <= this.t)) {
      this.timers = this.timers.filter((y) => y !== x);
      x.fn();
    }
  }
}

type Req = Set<string>;
const union = (a: Req, b: Req): Req => new Set([...a, ...b]);

function setup(opts: Partial<PushQueueOptions> = {}, cost = 0) {
  const loop = new FakeLoop();
  const runs: Array<{ conn: string; req: string[]; done: () => void }> = [];
  const q = new PushQueue<string, Req>({ maxInFlight: 100, sliceMs: 10, flushTimeoutMs: 5000, ...opts }, loop, union, (conn, req, done) => {
    loop.t += cost; // the push's own CPU time
    runs.push({ conn, req: [...req].sort(), done });
  });
  return { loop, runs, q };
}

describe('PushQueue', () => {
  it('never pushes inside enqueue: work starts on a later event-loop turn', () => {
    const { loop, runs, q } = setup();
    q.enqueue('a', new Set(['CDS']));
    expect(runs).toEqual([]);
    loop.turn();
    expect(runs.map((r) => r.conn)).toEqual(['a']);
  });

  it('merges requests for a waiting connection into one push that keeps its place', () => {
    const { loop, runs, q } = setup();
    q.enqueue('a', new Set(['CDS']));
    q.enqueue('b', new Set(['RDS']));
    q.enqueue('a', new Set(['EDS']));
    expect(q.pending).toBe(2);
    loop.runAll();
    expect(runs.map((r) => [r.conn, r.req])).toEqual([
      ['a', ['CDS', 'EDS']],
      ['b', ['RDS']],
    ]);
  });

  it('pushes a connection once at a time; what arrives meanwhile is merged and queued behind the others', () => {
    const { loop, runs, q } = setup();
    q.enqueue('a', new Set(['CDS']));
    q.enqueue('b', new Set(['CDS']));
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['a', 'b']);
    q.enqueue('a', new Set(['EDS']));
    q.enqueue('a', new Set(['RDS']));
    q.enqueue('c', new Set(['CDS']));
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['a', 'b', 'c']); // a is still in flight
    runs[0].done();
    loop.runAll();
    expect(runs.map((r) => [r.conn, r.req])).toEqual([
      ['a', ['CDS']],
      ['b', ['CDS']],
      ['c', ['CDS']],
      ['a', ['EDS', 'RDS']],
    ]);
  });

  it('is fair: a connection that keeps getting requests does not overtake the ones waiting', () => {
    const { loop, runs, q } = setup({ maxInFlight: 1 });
    for (const c of ['a', 'b', 'c']) q.enqueue(c, new Set(['EDS']));
    for (let i = 0; i < 5; i++) {
      loop.runAll();
      runs[runs.length - 1]?.done();
      q.enqueue('a', new Set([`EDS${i}`]));
    }
    loop.runAll();
    runs[runs.length - 1].done();
    loop.runAll();
    // a's later requests merge while it waits; b and c are served in between.
    expect(runs.map((r) => r.conn).slice(0, 4)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps at most maxInFlight pushes in flight and starts the next when one is flushed', () => {
    const { loop, runs, q } = setup({ maxInFlight: 2 });
    for (const c of ['a', 'b', 'c', 'd']) q.enqueue(c, new Set(['RDS']));
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['a', 'b']);
    expect(q.inFlight).toBe(2);
    runs[1].done();
    runs[1].done(); // a second call is ignored
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['a', 'b', 'c']);
    expect(q.inFlight).toBe(2);
  });

  it('yields to the event loop after sliceMs of work, so other events run between batches', () => {
    const { loop, runs, q } = setup({ sliceMs: 10 }, 4); // each push takes 4 ms
    const order: string[] = [];
    for (let i = 0; i < 9; i++) q.enqueue(`p${i}`, new Set(['RDS']));
    let turns = 0;
    while (runs.length < 9 && turns < 20) {
      loop.turn();
      turns++;
      order.push(`after turn ${turns}: ${runs.length}`);
      loop.defer(() => order.push('ack handled')); // I/O that arrived during the batch
    }
    expect(runs.length).toBe(9);
    expect(turns).toBe(3); // 3 pushes (12 ms >= 10 ms) per turn
    expect(order).toEqual(['after turn 1: 3', 'ack handled', 'after turn 2: 6', 'ack handled', 'after turn 3: 9']);
  });

  it('frees the slot of a push that is never flushed after flushTimeoutMs, and of a removed connection', () => {
    const { loop, runs, q } = setup({ maxInFlight: 1, flushTimeoutMs: 1000 });
    for (const c of ['stuck', 'gone', 'next']) q.enqueue(c, new Set(['CDS']));
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['stuck']);
    loop.advance(1000);
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['stuck', 'gone']);
    q.remove('gone');
    loop.runAll();
    expect(runs.map((r) => r.conn)).toEqual(['stuck', 'gone', 'next']);
    runs[1].done(); // late flush of the removed connection changes nothing
    expect(q.inFlight).toBe(1);
  });

  it('reports idle once everything queued has been pushed and flushed', () => {
    const { loop, runs, q } = setup();
    let idle = 0;
    q.onIdle(() => idle++);
    q.enqueue('a', new Set(['CDS']));
    q.enqueue('b', new Set(['CDS']));
    loop.runAll();
    expect(idle).toBe(0);
    runs[0].done();
    runs[1].done();
    expect(idle).toBe(1);
    expect(q.idle).toBe(true);
  });

  it('treats a push that throws as done', () => {
    const loop = new FakeLoop();
    const q = new PushQueue<string, Req>({ maxInFlight: 1, sliceMs: 10, flushTimeoutMs: 5000 }, loop, union, (conn) => {
      if (conn === 'bad') throw new Error('boom');
    });
    q.enqueue('bad', new Set(['CDS']));
    q.enqueue('ok', new Set(['CDS']));
    loop.runAll();
    expect(q.inFlight).toBe(1); // 'ok' in flight: 'bad' freed its slot
  });
});
