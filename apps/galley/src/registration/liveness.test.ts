import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../platform/clock';
import { LivenessTracker } from './liveness';

const GRACE = 30_000;
let clock: FakeClock;
let t: LivenessTracker;

beforeEach(() => {
  clock = new FakeClock();
  t = new LivenessTracker(clock, GRACE);
});

describe('LivenessTracker', () => {
  it('expires a disconnected workload after the grace period', () => {
    t.connected('ns/a', 'p1', 'x1');
    expect(t.disconnected('ns/a', 'p1', 'x1')).toBe(true);
    clock.advance(GRACE - 1);
    expect(t.expired()).toEqual([]);
    clock.advance(1);
    expect(t.expired()).toEqual(['ns/a']);
  });

  it('keeps a workload that reconnected (to any Pilot) within the grace period', () => {
    t.connected('ns/a', 'p1', 'x1');
    t.disconnected('ns/a', 'p1', 'x1');
    clock.advance(1000);
    t.connected('ns/a', 'p2', 'x2');
    clock.advance(GRACE);
    expect(t.expired()).toEqual([]);
  });

  it('ignores a late disconnect from the Pilot the proxy already left', () => {
    t.connected('ns/a', 'p1', 'x1');
    t.connected('ns/a', 'p2', 'x1');
    expect(t.disconnected('ns/a', 'p1', 'x1')).toBe(false);
    clock.advance(GRACE * 2);
    expect(t.expired()).toEqual([]);
  });

  it('a heartbeat mention cancels a pending disconnect', () => {
    t.connected('ns/a', 'p1', 'x1');
    t.disconnected('ns/a', 'p1', 'x1');
    clock.advance(1000);
    t.heartbeat('p2', ['ns/a'], 5000);
    clock.advance(GRACE - 1000);
    expect(t.expired()).toEqual([]);
  });

  it('expires workloads no live Pilot reports for the grace period', () => {
    t.connected('ns/a', 'p1', 'x1');
    t.connected('ns/b', 'p1', 'x2');
    for (let i = 0; i < 7; i++) {
      clock.advance(5000);
      t.heartbeat('p1', ['ns/b'], 5000);
    }
    expect(t.anyPilotAlive()).toBe(true);
    expect(t.expired()).toEqual(['ns/a']);
  });

  it('expires nothing by absence while no Pilot heartbeats at all', () => {
    t.connected('ns/a', 'p1', 'x1');
    clock.advance(GRACE * 10);
    expect(t.anyPilotAlive()).toBe(false);
    expect(t.expired()).toEqual([]);
  });

  it('a Pilot that stops heartbeating stops counting as alive after three intervals', () => {
    t.connected('ns/a', 'p1', 'x1');
    t.heartbeat('p1', [], 5000);
    clock.advance(15_000);
    expect(t.anyPilotAlive()).toBe(true);
    clock.advance(1);
    expect(t.anyPilotAlive()).toBe(false);
    clock.advance(GRACE);
    expect(t.expired()).toEqual([]);
  });

  it('workloads learned from the registry start their grace period when learned', () => {
    t.known('ns/old');
    t.heartbeat('p1', [], 5000);
    clock.advance(GRACE - 5000);
    t.heartbeat('p1', [], 5000);
    expect(t.expired()).toEqual([]);
    clock.advance(5000);
    t.heartbeat('p1', [], 5000);
    expect(t.expired()).toEqual(['ns/old']);
    t.forget('ns/old');
    expect(t.tracked()).toEqual([]);
  });
});
