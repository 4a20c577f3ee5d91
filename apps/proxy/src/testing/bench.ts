/**
 * A small throughput benchmark: `node apps/proxy/dist/testing/bench.js [seconds] [connections]`.
 * The upstream runs in a child process, the load generator in a worker thread (undici Pool,
 * keep-alive), the proxy runtime in the main thread; it measures direct-to-upstream and
 * through-the-proxy rates and latencies.
 */
import { fork } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { startRuntime } from './runtime-harness';
import * as b from './xds-builders';

const UPSTREAM = { host: '127.0.0.91', port: 18091 };
const PROXY = { host: '127.0.0.90', port: 15001 };

interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}

async function generateLoad(target: { host: string; port: number }, seconds: number, connections: number): Promise<LoadResult> {
  const pool = new Pool(`http://${target.host}:${target.port}`, { connections });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: '/bench', method: 'GET', headers: { host: 'bench:9080' } });
        await res.body.dump();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => Number((latencies[Math.floor(latencies.length * p)] ?? 0).toFixed(2));
  return { requests: latencies.length, errors, p50: pct(0.5), p99: pct(0.99) };
}

function inWorker(target: { host: string; port: number }, seconds: number, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { target, seconds, connections } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const UPSTREAM_SRC = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end('ok')); }).listen(${UPSTREAM.port}, '${UPSTREAM.host}', () => process.send('up'));`;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 32);
  const upstream = fork('-e', [UPSTREAM_SRC], { execArgv: ['-e', UPSTREAM_SRC] });
  await new Promise((r) => upstream.once('message', r));
  const rt = await startRuntime({
    clusters: [b.staticCluster('bench', [[UPSTREAM.host, UPSTREAM.port]])],
    listeners: [b.listener('outbound_http_proxy', PROXY.host, PROXY.port, { rds: 'r' })],
    routes: [b.routeConfiguration('r', [b.vhost('bench', ['bench:9080'], [b.routeTo('bench', { prefix: '/' }, { retryPolicy: { retryOn: 'connect-failure,retriable-status-codes', retriableStatusCodes: [503], numRetries: { value: 2 } } })])])],
  });
  for (const [name, target] of [['direct', UPSTREAM], ['via proxy', PROXY]] as const) {
    const r = await inWorker(target, seconds, connections);
    console.log(`${name.padEnd(10)} ${Math.round(r.requests / seconds)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  (${connections} connections, ${seconds} s)`);
  }
  await rt.close();
  upstream.kill();
}

if (isMainThread) void main();
else void generateLoad(workerData.target, workerData.seconds, workerData.connections).then((r) => parentPort?.postMessage(r));
