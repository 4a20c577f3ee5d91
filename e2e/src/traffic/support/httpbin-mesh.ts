import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, type NatsServer, type RunningProcess, spawnProcess, startNats, waitFor } from '@mizzen/testkit';
import { Bus } from '@mizzen/bus';
import { CitadelToken, GalleyApply, GalleyDelete } from '@mizzen/contracts';
import { ProxyAgent, request } from 'undici';
import { type CliResult, MESHCTL, REPO, runNode } from '../../support/mesh';

export const HTTPBIN_DIR = path.join(REPO, 'samples/httpbin');
const PROXY_MAIN = path.join(REPO, 'apps/proxy/dist/main.js');

/** The httpbin sample's service ports (samples/httpbin/workloads.yaml); apps listen on +10000. */
export const HTTP_PORT = 8000;
export const GRPC_PORT = 9000;
export const APP_OFFSET = 10000;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * `meshctl up --sample httpbin` as a real process, on a NATS server and ports of the suite's own
 * and on its own loopback block: `<block>.1` sleep (the client), `.2` httpbin-v1, `.3` httpbin-v2,
 * the ingress gateway on `gatewayIp`. Every `--*-port` option `meshctl up` offers gets a free
 * port, so suites never collide with each other or with a developer's mesh.
 */
export class HttpbinMesh {
  private readonly clients = new Map<string, ProxyAgent>();
  private readonly extra: RunningProcess[] = [];
  private busConn?: Promise<Bus>;

  private constructor(
    readonly nats: NatsServer,
    readonly up: RunningProcess,
    readonly stateDir: string,
    readonly ipBlock: string,
    readonly gatewayIp: string,
    /** The port `meshctl up` got for each of its `--*-port` options. */
    private readonly ports: ReadonlyMap<string, number>,
  ) {}

  static async start(opts: { ipBlock: string; gatewayIp: string; env?: Record<string, string> }): Promise<HttpbinMesh> {
    const nats = await startNats();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-traffic-'));
    const ports = await portOptions();
    try {
      const up = await spawnProcess(
        process.execPath,
        [MESHCTL, 'up', '--sample', 'httpbin', '--state-dir', stateDir, '--gateway-ip', opts.gatewayIp, '--ip-block', opts.ipBlock, ...ports.flatMap(([flag, port]) => [flag, String(port)])],
        { name: 'meshctl-up', env: { ...opts.env, NATS_URL: nats.url }, cwd: REPO, readyLine: /The mesh is up/, readyTimeoutMs: 90_000, killTimeoutMs: 15_000 },
      );
      return new HttpbinMesh(nats, up, stateDir, opts.ipBlock, opts.gatewayIp, new Map(ports));
    } catch (e) {
      await nats.stop();
      const message = `${(e as Error).message}\n${logs(stateDir)}`;
      fs.rmSync(stateDir, { recursive: true, force: true });
      throw new Error(message);
    }
  }

  get sleepIp(): string {
    return `${this.ipBlock}.1`;
  }

  /** Address of httpbin-v1 / httpbin-v2. */
  podIp(version: 'v1' | 'v2'): string {
    return `${this.ipBlock}.${version === 'v1' ? 2 : 3}`;
  }

  /** The app of a pod, bypassing its sidecar (the tests' `kubectl exec`). */
  appUrl(version: 'v1' | 'v2', pathAndQuery: string): string {
    return `http://${this.podIp(version)}:${HTTP_PORT + APP_OFFSET}${pathAndQuery}`;
  }

  get pilotTarget(): string {
    return `127.0.0.1:${this.ports.get('--pilot-grpc-port') ?? 15010}`;
  }

  meshctl(args: string[], input?: string): Promise<CliResult> {
    return runNode(MESHCTL, args, { NATS_URL: this.nats.url }, input);
  }

  /**
   * Applies YAML through Galley: the NATS request `meshctl apply -f -` sends (GalleyApply), made
   * here directly because the meshctl process lingers ~5 s after its work (an uncleared connect
   * timer) and the suites apply many times. Throws with Galley's errors when it rejects the YAML.
   */
  async apply(yaml: string): Promise<void> {
    const reply = await (await this.bus()).request(GalleyApply, { documents: yaml, source: 'api', defaultNamespace: 'default', dryRun: false }, { timeoutMs: 30_000 });
    if (!reply.accepted) throw new Error(`Galley rejected the YAML:\n${JSON.stringify(reply, null, 2)}`);
  }

  /** Deletes the resources named in the YAML through Galley (the request of `meshctl delete -f -`). */
  async remove(yaml: string): Promise<void> {
    const reply = await (await this.bus()).request(GalleyDelete, { documents: yaml, defaultNamespace: 'default' }, { timeoutMs: 30_000 });
    if (!reply.accepted) throw new Error(`Galley rejected the delete:\n${JSON.stringify(reply, null, 2)}`);
  }

  private async bus(): Promise<Bus> {
    this.busConn ??= Bus.connect({ url: this.nats.url, name: 'traffic-e2e' });
    return this.busConn;
  }

  /**
   * A request the way an application sends it through its sidecar: an HTTP proxy request in
   * absolute form to `<from>:15001` (what HTTP_PROXY does). `from` defaults to the sleep pod.
   */
  async fetch(url: string, opts: { headers?: Record<string, string>; from?: string; method?: string; timeoutMs?: number } = {}): Promise<Reply> {
    const from = opts.from ?? this.sleepIp;
    let agent = this.clients.get(from);
    if (!agent) {
      agent = new ProxyAgent({ uri: `http://${from}:15001`, proxyTunnel: false });
      this.clients.set(from, agent);
    }
    const res = await request(url, { dispatcher: agent, method: (opts.method ?? 'GET') as 'GET', headers: opts.headers, headersTimeout: opts.timeoutMs ?? 15_000, bodyTimeout: opts.timeoutMs ?? 15_000 });
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, body };
  }

  /** Envoy-style admin `/stats` of the proxy on `ip`, as name -> value. */
  async stats(ip: string, filter?: string): Promise<Map<string, number>> {
    const res = await request(`http://${ip}:15000/stats${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`);
    const out = new Map<string, number>();
    for (const line of (await res.body.text()).split('\n')) {
      const m = /^(.+): (\d+)$/.exec(line.trim());
      if (m) out.set(m[1], Number(m[2]));
    }
    return out;
  }

  /** The proxy's admin `/config_dump` (with endpoints). */
  async configDump(ip: string): Promise<ConfigDump> {
    const res = await request(`http://${ip}:15000/config_dump?include_eds`);
    return new ConfigDump(JSON.parse(await res.body.text()) as unknown);
  }

  /** Waits until the proxy on `ip` holds config that satisfies `ok` (config reaches proxies asynchronously). */
  async waitForConfig(ip: string, what: string, ok: (dump: ConfigDump) => boolean): Promise<void> {
    await waitFor(async () => ok(await this.configDump(ip)), { timeoutMs: 15_000, intervalMs: 100, message: `${what} never reached the proxy on ${ip}` });
  }

  /** The log file `meshctl up` writes for a process (`sleep-sidecar`, `istio-ingressgateway`, ...). */
  log(name: string): string {
    const f = path.join(this.stateDir, 'logs', `${name}.log`);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  /**
   * Starts one more proxy (sidecar or gateway) that joins this mesh the way `meshctl up` starts
   * its proxies: a bootstrap token from Citadel for `identity`, the certificate agent, and Pilot
   * over TLS. Stopped with the mesh.
   */
  async startProxy(name: string, identity: { namespace: string; serviceAccount: string }, args: string[]): Promise<RunningProcess> {
    const p = await spawnProcess(process.execPath, [PROXY_MAIN, ...args, '--namespace', identity.namespace, '--service-account', identity.serviceAccount, ...(await this.meshAccess(name, identity))], {
      name,
      readyLine: /proxy ready/,
      readyTimeoutMs: 30_000,
    });
    this.extra.push(p);
    return p;
  }

  private async meshAccess(name: string, identity: { namespace: string; serviceAccount: string }): Promise<string[]> {
    const citadel = this.ports.get('--citadel-grpc-port');
    const secure = this.ports.get('--pilot-secure-port');
    if (citadel === undefined || secure === undefined) return ['--pilot', this.pilotTarget];
    const { token } = await (await this.bus()).request(CitadelToken, { ...identity, requester: 'traffic-e2e' }, { timeoutMs: 10_000 });
    const file = path.join(this.stateDir, `${name}.token`);
    fs.writeFileSync(file, token, { mode: 0o600 });
    return ['--ca-addr', `127.0.0.1:${citadel}`, '--ca-token-file', file, '--ca-root-file', path.join(this.stateDir, 'citadel', 'root-cert.pem'), '--pilot', `127.0.0.1:${secure}`, '--pilot-tls'];
  }

  /** Starts one more httpbin app process (no sidecar); stopped with the mesh. */
  async startHttpbinApp(name: string, host: string, version: string): Promise<RunningProcess> {
    const p = await spawnProcess(process.execPath, [path.join(HTTPBIN_DIR, 'dist/httpbin.js')], {
      name,
      env: { HOST: host, PORT: String(HTTP_PORT + APP_OFFSET), POD_NAME: name, SERVICE_VERSION: version },
      readyLine: /listening on/,
    });
    this.extra.push(p);
    return p;
  }

  logs(): string {
    return logs(this.stateDir);
  }

  async stop(): Promise<void> {
    for (const a of this.clients.values()) await a.close();
    if (this.busConn) await (await this.busConn).close();
    for (const p of this.extra.reverse()) await p.stop();
    await this.up.stop('SIGINT');
    await this.nats.stop();
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** A free port for every `--<name>-port` option of `meshctl up` (read from its --help). */
async function portOptions(): Promise<Array<[string, number]>> {
  const help = await runNode(MESHCTL, ['up', '--help']);
  const flags = [...new Set([...help.stdout.matchAll(/(--[a-z-]+-port) <port>/g)].map((m) => m[1]))];
  const out: Array<[string, number]> = [];
  const taken = new Set<number>();
  for (const f of flags) {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    out.push([f, port]);
  }
  return out;
}

function logs(stateDir: string): string {
  const dir = path.join(stateDir, 'logs');
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-30).join('\n')}`)
    .join('\n');
}

/** A proxy's config dump, searchable by field name anywhere in it. */
export class ConfigDump {
  constructor(readonly json: unknown) {}

  /** Every value of field `key` (proto wrappers `{value: x}` unwrapped). */
  values(key: string): unknown[] {
    const out: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k === key) out.push(x && typeof x === 'object' && 'value' in x ? (x as { value: unknown }).value : x);
        walk(x);
      }
    };
    walk(this.json);
    return out;
  }

  has(key: string, value: unknown): boolean {
    return this.values(key).some((v) => v === value || String(v) === String(value));
  }
}

/** Counts of `x-httpbin-pod` over replies. */
export function podCounts(replies: readonly Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const pod = r.headers['x-httpbin-pod'] ?? `status ${r.status}`;
    out[pod] = (out[pod] ?? 0) + 1;
  }
  return out;
}

/** GET/PUT/DELETE on an app directly (no mesh), e.g. the httpbin admin endpoints. */
export async function direct(url: string, method: 'GET' | 'PUT' | 'DELETE' = 'GET'): Promise<{ status: number; json: unknown }> {
  const res = await request(url, { method });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined };
}
