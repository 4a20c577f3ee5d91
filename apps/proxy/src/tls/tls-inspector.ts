import type { Socket } from 'node:net';
import type { StatsScope } from '../stats';
import { MAX_CLIENT_HELLO, parseClientHello } from './client-hello';

/** What the inspector decided; `closed` and `failed` mean the connection is to be dropped. */
export type InspectOutcome =
  | { kind: 'tls'; serverName?: string; alpn: string[] }
  | { kind: 'raw' }
  | { kind: 'closed' | 'failed'; reason: string };

/**
 * Envoy's tls_inspector on a live socket: reads until a whole ClientHello (or a first byte that is
 * not a TLS handshake) is buffered, then pauses the socket and puts every byte back (`unshift`), so
 * the chosen filter chain sees the connection from its first byte. TLS is not terminated here.
 * On listener_filters_timeout the connection closes, unless continue_on_listener_filters_timeout,
 * in which case it goes on as plaintext. Stats: `tls_inspector.*` in the listener's scope.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/listener_filters/tls_inspector
 */
export function inspectTls(socket: Socket, timeoutMs: number, continueOnTimeout: boolean, stats: StatsScope): Promise<InspectOutcome> {
  return new Promise((resolve) => {
    let buf: Buffer = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: InspectOutcome): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      if (o.kind === 'tls' || o.kind === 'raw') {
        socket.pause();
        if (buf.length) socket.unshift(buf);
      }
      resolve(o);
    };
    const onData = (chunk: Buffer): void => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const r = parseClientHello(buf);
      if (r.kind === 'need-more') {
        if (buf.length <= MAX_CLIENT_HELLO) return;
        stats.counter('tls_inspector.client_hello_too_large').inc();
        return finish({ kind: 'failed', reason: 'client hello too large' });
      }
      if (r.kind === 'not-tls') {
        stats.counter('tls_inspector.tls_not_found').inc();
        return finish({ kind: 'raw' });
      }
      stats.counter('tls_inspector.tls_found').inc();
      stats.counter(r.serverName ? 'tls_inspector.sni_found' : 'tls_inspector.sni_not_found').inc();
      stats.counter(r.alpn.length ? 'tls_inspector.alpn_found' : 'tls_inspector.alpn_not_found').inc();
      finish({ kind: 'tls', serverName: r.serverName, alpn: r.alpn });
    };
    const onEnd = (): void => {
      stats.counter('tls_inspector.connection_closed').inc();
      finish({ kind: 'closed', reason: 'connection closed during listener filters' });
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        stats.counter('downstream_pre_cx_timeout').inc();
        finish(continueOnTimeout ? { kind: 'raw' } : { kind: 'failed', reason: 'listener filters timeout' });
      }, timeoutMs);
    }
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
  });
}
