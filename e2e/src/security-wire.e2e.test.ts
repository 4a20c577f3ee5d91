import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningProcess, spawnProcess } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESHCTL, REPO } from './support/mesh';

const NS = `mizzen-wire-${process.pid}`;
const BLOCK = '127.77.15';
const GATEWAY = `${BLOCK}.200`;
/** details-v1, the second workload of samples/bookinfo/workloads.yaml. */
const DETAILS = `${BLOCK}.2`;

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
/** tcpdump, and root to create a network namespace (CI installs tcpdump and runs as root). */
const CAN_RUN = ok('tcpdump', ['--version']) && process.getuid?.() === 0 && ok('ip', ['-V']);

/** Runs a command inside the test's network namespace. */
const inNs = (args: string[]) => spawnSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8', timeout: 30_000 });

/** GET the product page through the gateway, from inside the namespace (curl): the details call's status. */
function page(): { status: string; details?: string } {
  const r = inNs(['curl', '-s', '-m', '10', '-w', '\n%{http_code}', `http://${GATEWAY}:8080/productpage`]);
  const lines = r.stdout.trimEnd().split('\n');
  return { status: lines[lines.length - 1], details: /data-details-status="(\d+)"/.exec(r.stdout)?.[1] };
}

/** Captures the namespace's loopback traffic matching `filter` while `work` runs; returns the pcap bytes. */
async function capture(filter: string, work: () => void): Promise<Buffer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-pcap-')), 'cap.pcap');
  const proc = spawn('ip', ['netns', 'exec', NS, 'tcpdump', '-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    proc.stderr.on('data', (d: Buffer) => ((err += d.toString()), /listening on/.test(err) && resolve()));
    proc.once('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${err}`)));
  });
  try {
    work();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGINT');
    await exited;
  }
  const bytes = fs.readFileSync(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return bytes;
}

/**
 * Issue 4, on the wire: the whole local mesh (`meshctl up`: NATS, Galley, Citadel, Pilot, the
 * gateway and Bookinfo with sidecars, STRICT mTLS) runs inside a network namespace this test
 * creates, and tcpdump captures that namespace's loopback. Between productpage's sidecar and
 * details' sidecar only TLS is seen (the details body never appears); on the hop inside the
 * details workload (sidecar -> app) the same capture sees the body, which proves it works.
 */
describe.skipIf(!CAN_RUN)('mTLS on the wire, captured inside a network namespace (meshctl up in the namespace)', () => {
  let up: RunningProcess | undefined;
  let stateDir: string;

  beforeAll(async () => {
    expect(ok('ip', ['netns', 'add', NS])).toBe(true);
    expect(ok('ip', ['-n', NS, 'link', 'set', 'lo', 'up'])).toBe(true);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-wire-'));
    // NATS_URL empty: meshctl up starts its own nats-server inside the namespace.
    up = await spawnProcess('ip', ['netns', 'exec', NS, process.execPath, MESHCTL, 'up', '--state-dir', stateDir, '--gateway-ip', GATEWAY, '--ip-block', BLOCK], {
      name: 'meshctl-up-netns',
      cwd: REPO,
      env: { NATS_URL: '' },
      readyLine: /The mesh is up/,
      readyTimeoutMs: 120_000,
      killTimeoutMs: 15_000,
    });
  }, 150_000);

  afterAll(async () => {
    await up?.stop('SIGINT');
    spawnSync('ip', ['netns', 'del', NS]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('carries only TLS between two sidecars; the body appears only on the in-workload hop', async () => {
    expect(page()).toEqual({ status: '200', details: '200' });
    const body = 'William Shakespeare';
    const between = await capture(`host ${DETAILS} and tcp port 9080`, () => {
      for (let i = 0; i < 5; i++) expect(page().details).toBe('200');
    });
    const inside = await capture(`host ${DETAILS} and tcp port 19080`, () => {
      for (let i = 0; i < 5; i++) expect(page().details).toBe('200');
    });
    expect(between.length).toBeGreaterThan(1000);
    expect(between.includes(body)).toBe(false);
    expect(between.includes('GET /details')).toBe(false);
    // A TLS 1.3 record header (application data, "legacy" version 0x0303) is in the sidecar hop.
    expect(between.includes(Buffer.from([0x17, 0x03, 0x03]))).toBe(true);
    expect(inside.includes(body), `${inside.length} bytes captured`).toBe(true);
  });
});
