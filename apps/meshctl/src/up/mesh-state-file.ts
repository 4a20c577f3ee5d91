import fs from 'node:fs';
import path from 'node:path';

/** What `meshctl up` records for the other commands (`apply`, `get`, ...) to find the mesh. */
export interface MeshStateFile {
  natsUrl: string;
  pilotDebug: string;
  gateway: string;
  startedAt: string;
  pids: Record<string, number | undefined>;
}

export const DEFAULT_STATE_DIR = '.mizzen';

export function writeStateFile(stateDir: string, s: MeshStateFile): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'mesh.json'), JSON.stringify(s, null, 2) + '\n');
}

export function readStateFile(stateDir: string): MeshStateFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'mesh.json'), 'utf8')) as MeshStateFile;
  } catch {
    return undefined;
  }
}

export function removeStateFile(stateDir: string): void {
  fs.rmSync(path.join(stateDir, 'mesh.json'), { force: true });
}

/** The NATS URL for commands: `--nats`, else NATS_URL, else the running local mesh's, else the default. */
export function resolveNatsUrl(flag: string | undefined, stateDir: string): string {
  return flag ?? process.env.NATS_URL ?? readStateFile(stateDir)?.natsUrl ?? 'nats://127.0.0.1:4222';
}
