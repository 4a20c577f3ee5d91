import type { FaultConfig } from '../config/model';
import { type Rng, headerValue, matchHeader } from '../routing';
import { delay as wait } from '../util/cancellation';
import { type Exchange, localReply } from './exchange';

/** Faults in progress, for max_active_faults. */
export interface FaultCounter {
  active: number;
}

function applies(x: Exchange, f: FaultConfig, cluster: string | undefined, counter: FaultCounter): boolean {
  if (f.upstreamCluster && f.upstreamCluster !== cluster) return false;
  if (f.maxActiveFaults > 0 && counter.active >= f.maxActiveFaults) return false;
  return f.headers.every((h) => matchHeader(h, headerValue(x.view, h.name)));
}

/**
 * Envoy's fault filter: first a fixed delay (flag DI), then an abort (flag FI), each decided with
 * its own draw against its percentage. Returns true when the request was aborted (reply sent).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/fault_filter
 */
export async function injectFault(x: Exchange, f: FaultConfig, cluster: string | undefined, rng: Rng, counter: FaultCounter): Promise<boolean> {
  if (!applies(x, f, cluster, counter)) return false;
  const delay = f.delay && rng() < f.delay.fraction ? f.delay.ms : 0;
  const abort = f.abort && rng() < f.abort.fraction ? f.abort : undefined;
  if (!delay && !abort) return false;
  counter.active++;
  try {
    if (delay) {
      x.info.flags.add('DI');
      x.httpStats.counter('fault.delays_injected').inc();
      if (!(await wait(delay, [x.downstreamGone]))) return true;
    }
    if (!abort) return false;
    x.info.flags.add('FI');
    x.httpStats.counter('fault.aborts_injected').inc();
    // An HTTP status wins; a gRPC status alone aborts with HTTP 200 and, for a gRPC request, that
    // grpc-status (Envoy's FaultFilter::abortStatus).
    if (abort.httpStatus !== undefined) localReply(x, abort.httpStatus, 'fault filter abort');
    else localReply(x, 200, 'fault filter abort', {}, abort.grpcStatus ?? 2);
    return true;
  } finally {
    counter.active--;
  }
}
