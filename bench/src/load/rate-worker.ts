/**
 * Child process running load for {@link LoadGenerator}, so the generator has its own event loop
 * and its CPU is never counted against the process under test.
 * Protocol (IPC): `{ id, kind: 'rate' | 'closed', spec }` -> `{ id, result }` or `{ id, error }`.
 */
import { type ClosedLoopSpec, type ConstantRateSpec, runClosedLoop, runConstantRate } from './constant-rate';

type Msg = { id: number; kind: 'rate'; spec: ConstantRateSpec } | { id: number; kind: 'closed'; spec: ClosedLoopSpec };

process.on('message', (msg: Msg) => {
  const run = msg.kind === 'rate' ? runConstantRate(msg.spec) : runClosedLoop(msg.spec);
  (run as Promise<unknown>).then(
    (result) => process.send?.({ id: msg.id, result }),
    (e: unknown) => process.send?.({ id: msg.id, error: (e as Error).message }),
  );
});
process.on('disconnect', () => process.exit(0));
