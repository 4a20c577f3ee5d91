import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import type { NetNs } from '../../support/netns';

/**
 * A TCP (or TLS, with `cert`/`key` files) server answering every chunk with `<name>:<chunk>`;
 * run as `node -e ECHO_SERVER name host port [cert key]`, prints `echo ready` once listening.
 */
export const ECHO_SERVER = `
const [name, host, port, cert, key] = process.argv.slice(1);
const fs = require('node:fs');
const onConn = (s) => { s.on('data', (d) => s.write(name + ':' + d)); s.on('error', () => s.destroy()); };
const srv = cert ? require('node:tls').createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, onConn) : require('node:net').createServer(onConn);
srv.listen(Number(port), host, () => console.log('echo ready'));
`;

/** Reads JSON requests on stdin, makes one connection per request, answers with the first reply chunk. */
const CLIENT = `
const net = require('node:net'), tls = require('node:tls');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const q = JSON.parse(line);
  let done = false;
  const s = q.servername
    ? tls.connect({ host: q.host, port: q.port, servername: q.servername, ca: q.ca }, () => s.write(q.msg))
    : net.connect(q.port, q.host, () => s.write(q.msg));
  const end = (r) => { if (done) return; done = true; s.destroy(); process.stdout.write(JSON.stringify({ id: q.id, ...r }) + '\\n'); };
  s.setTimeout(3000, () => end({ error: 'timeout' }));
  s.once('data', (d) => end({ reply: d.toString() }));
  s.once('error', (e) => end({ error: e.code || e.message }));
  s.once('close', () => end({ error: 'closed' }));
});
`;

export interface L4Request {
  host: string;
  port: number;
  msg: string;
  /** TLS with this SNI, verified against `ca` (PEM). */
  servername?: string;
  ca?: string;
}

/** What one connection got: the reply, or why there was none. */
export type L4Outcome = { reply: string } | { error: string };

/**
 * A client process inside the namespace (so its connections to the namespace's local blocks
 * reach the TPROXY sidecar); one long-lived process serves every request of a test.
 */
export class L4Client {
  private nextId = 0;
  private readonly waiting = new Map<number, (o: L4Outcome) => void>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const r = JSON.parse(line) as { id: number } & L4Outcome;
      this.waiting.get(r.id)?.(r);
      this.waiting.delete(r.id);
    });
  }

  static start(ns: NetNs): L4Client {
    return new L4Client(ns.spawnPiped(process.execPath, ['-e', CLIENT]));
  }

  send(req: L4Request): Promise<L4Outcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ error: 'no answer from the client process' });
      }, 10_000);
      this.waiting.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      this.child.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }
}
