/** Time as an input: expiry and rotation logic take a Clock so tests can move time by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const CLOCK = Symbol('citadel:clock');

export const systemClock: Clock = { now: () => Date.now() };
