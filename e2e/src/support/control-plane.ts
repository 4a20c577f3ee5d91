import path from 'node:path';
import { freePort, type NatsServer, type RunningProcess, spawnProcess, startNats } from '@mizzen/testkit';
import { MESHCTL, REPO, runNode, type CliResult } from './mesh';

/** NATS + Galley + Pilot as real processes, without the sample app. */
export class ControlPlane {
  private constructor(
    readonly nats: NatsServer,
    readonly galley: RunningProcess,
    readonly pilot: RunningProcess,
    readonly pilotPort: number,
  ) {}

  static async start(): Promise<ControlPlane> {
    const nats = await startNats();
    const pilotPort = await freePort();
    const debugPort = await freePort();
    const galley = await spawnProcess(process.execPath, [path.join(REPO, 'apps/galley/dist/main.js'), '--nats', nats.url], { name: 'galley', readyLine: /galley ready/, readyTimeoutMs: 20_000 });
    const pilot = await spawnProcess(
      process.execPath,
      [path.join(REPO, 'apps/pilot/dist/main.js'), '--nats', nats.url, '--grpc-port', String(pilotPort), '--debug-port', String(debugPort)],
      { name: 'pilot', readyLine: /pilot ready/, readyTimeoutMs: 20_000 },
    );
    return new ControlPlane(nats, galley, pilot, pilotPort);
  }

  meshctl(args: string[], input?: string): Promise<CliResult> {
    return runNode(MESHCTL, args, { NATS_URL: this.nats.url }, input);
  }

  async stop(): Promise<void> {
    await this.pilot.stop();
    await this.galley.stop();
    await this.nats.stop();
  }
}
