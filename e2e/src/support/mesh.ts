import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, type NatsServer, type RunningProcess, spawnProcess, startNats } from '@mizzen/testkit';

export const REPO = path.resolve(__dirname, '../../..');
export const MESHCTL = path.join(REPO, 'apps/meshctl/dist/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node entry point to completion and captures its output. */
export function runNode(entry: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface MeshState {
  natsUrl: string;
  pilotDebug: string;
  gateway: string;
  pids: Record<string, number | undefined>;
}

/**
 * A whole local mesh started the way a user starts it: `meshctl up` as a real process (Galley,
 * Pilot, gateway, Bookinfo with sidecars), on a NATS server of the test's own, on its own
 * loopback block and ports so it never collides with a developer's mesh.
 */
export class TestMesh {
  private constructor(
    readonly nats: NatsServer,
    readonly up: RunningProcess,
    readonly stateDir: string,
    readonly gatewayIp: string,
    readonly ipBlock: string,
    readonly pilotGrpcPort: number,
    readonly pilotDebugPort: number,
    /** Pilot's TLS xDS port: the mesh's proxies connect here. */
    readonly pilotSecurePort: number,
  ) {}

  /**
   * `env` reaches `meshctl up` and, through it, every component it starts (for example Istio's
   * `PILOT_JWT_PUB_KEY_REFRESH_INTERVAL`); `upArgs` are extra `meshctl up` flags.
   */
  static async start(opts: { ipBlock: string; gatewayIp: string; env?: Record<string, string>; upArgs?: string[] }): Promise<TestMesh> {
    const nats = await startNats();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mizzen-e2e-'));
    const [grpc, debug, citadel, secure] = [await freePort(), await freePort(), await freePort(), await freePort()];
    try {
      const up = await spawnProcess(
        process.execPath,
        [MESHCTL, 'up', '--state-dir', stateDir, '--gateway-ip', opts.gatewayIp, '--ip-block', opts.ipBlock, '--pilot-grpc-port', String(grpc), '--pilot-secure-port', String(secure), '--pilot-debug-port', String(debug), '--citadel-grpc-port', String(citadel), ...(opts.upArgs ?? [])],
        { name: 'meshctl-up', env: { ...opts.env, NATS_URL: nats.url }, cwd: REPO, readyLine: /The mesh is up/, readyTimeoutMs: 90_000, killTimeoutMs: 15_000 },
      );
      return new TestMesh(nats, up, stateDir, opts.gatewayIp, opts.ipBlock, grpc, debug, secure);
    } catch (e) {
      await nats.stop();
      throw new Error(`${(e as Error).message}\n${logs(stateDir)}`);
    }
  }

  get gateway(): string {
    return `http://${this.gatewayIp}:8080`;
  }

  get pilotTarget(): string {
    return `127.0.0.1:${this.pilotGrpcPort}`;
  }

  state(): MeshState {
    return JSON.parse(fs.readFileSync(path.join(this.stateDir, 'mesh.json'), 'utf8')) as MeshState;
  }

  /** Runs `meshctl <args>` against this mesh. */
  meshctl(args: string[], input?: string): Promise<CliResult> {
    return runNode(MESHCTL, args, { NATS_URL: this.nats.url, MIZZEN_PILOT_DEBUG: `http://127.0.0.1:${this.pilotDebugPort}` }, input);
  }

  logs(): string {
    return logs(this.stateDir);
  }

  async stop(): Promise<void> {
    await this.up.stop('SIGINT');
    await this.nats.stop();
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

function logs(stateDir: string): string {
  const dir = path.join(stateDir, 'logs');
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-30).join('\n')}`)
    .join('\n');
}
