/** The clock and timers push scheduling uses; injected so tests run without sleeping. */
export interface Timer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
